// The imaging contribution ids (package.json refers to the same strings).
export const IMAGE_VIEW_TYPE = 'radlab.imageViewer';
export const SERIES_VIEW_TYPE = 'radlab.dicomSeries';
export const OPEN_FOLDER_COMMAND = 'radlab.openDicomFolder';
