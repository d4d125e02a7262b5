# Fake radiology tables (no PHI) that Drill and HDFS sample data share. Sourced, not run.

# sample_studies_csv FILE: 200 studies with a header (study_id, patient_id, modality, body_part,
# study_date, num_images).
sample_studies_csv() {
  awk 'BEGIN {
    split("CT MR CR DX US PT MG NM", mod, " "); split("HEAD CHEST ABDOMEN PELVIS SPINE KNEE BREAST HEART", part, " ")
    print "study_id,patient_id,modality,body_part,study_date,num_images"
    for (i = 1; i <= 200; i++) {
      m = (i * 7) % 8 + 1; b = (i * 5) % 8 + 1
      printf "1.2.826.0.1.3680043.10.1093.%d,PAT%05d,%s,%s,2024-%02d-%02d,%d\n", \
        1000 + i, (i * 37) % 60 + 1, mod[m], part[b], (i % 12) + 1, (i % 28) + 1, (i * 53) % 900 + 1
    }
  }' >"$1.tmp" && mv "$1.tmp" "$1"
}

# sample_series_json FILE: 400 series, one JSON object a line.
sample_series_json() {
  awk 'BEGIN {
    split("CT MR CR DX US PT MG NM", mod, " ")
    for (i = 1; i <= 200; i++) for (s = 1; s <= 2; s++) {
      m = (i * 7) % 8 + 1
      printf "{\"series_uid\": \"1.2.826.0.1.3680043.10.1093.%d.%d\", \"study_id\": \"1.2.826.0.1.3680043.10.1093.%d\", \"series_number\": %d, \"modality\": \"%s\", \"description\": \"series %d of study %d\", \"num_instances\": %d, \"slice_thickness_mm\": %.1f}\n", \
        1000 + i, s, 1000 + i, s, mod[m], s, 1000 + i, ((i * 53) % 900 + 1) / 2 + s, 0.5 * ((i + s) % 10 + 1)
    }
  }' >"$1.tmp" && mv "$1.tmp" "$1"
}
