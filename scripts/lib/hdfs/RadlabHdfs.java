import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.fs.http.server.HttpFSServerWebServer;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * One NameNode + one DataNode (MiniDFSCluster, WebHDFS on) and an HttpFS server in front of it, as MapR
 * deploys HttpFS on port 14000. Seeds sample data once through the HDFS API (100,000 creates over RPC
 * take seconds; over REST they would take many minutes). Settings come from system properties.
 */
public class RadlabHdfs {
  static String prop(String k) {
    String v = System.getProperty(k);
    if (v == null) throw new IllegalArgumentException("missing -D" + k);
    return v;
  }

  public static void main(String[] args) throws Exception {
    File base = new File(prop("radlab.hdfs.base"));
    File httpfsConf = new File(prop("radlab.httpfs.conf"));
    File seedDir = new File(prop("radlab.hdfs.seed"));
    String user = prop("radlab.hdfs.user");
    int nnPort = Integer.parseInt(prop("radlab.hdfs.nn.port"));
    int nnHttpPort = Integer.parseInt(prop("radlab.hdfs.nn.http.port"));
    String dnHttp = prop("radlab.hdfs.dn.http.address");
    long bigMiB = Long.parseLong(prop("radlab.hdfs.big.mib"));
    int manyFiles = Integer.parseInt(prop("radlab.hdfs.many"));

    Configuration conf = new HdfsConfiguration();
    conf.setBoolean("dfs.webhdfs.enabled", true);
    conf.setBoolean("dfs.permissions.enabled", true);
    conf.set("dfs.datanode.address", "127.0.0.1:" + prop("radlab.hdfs.dn.port"));
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:" + prop("radlab.hdfs.dn.ipc.port"));
    conf.set("dfs.datanode.http.address", dnHttp);
    conf.set("dfs.namenode.http-address", "127.0.0.1:" + nnHttpPort);
    // HttpFS runs as this process's user and acts for the request's user.name.
    String me = System.getProperty("user.name");
    conf.set("hadoop.proxyuser." + me + ".hosts", "*");
    conf.set("hadoop.proxyuser." + me + ".groups", "*");
    conf.setInt("dfs.replication", 1);
    conf.setBoolean("dfs.client.block.write.replace-datanode-on-failure.enable", false);
    conf.setLong("dfs.namenode.fs-limits.min-block-size", 1024 * 1024);
    // Keep the NameNode quiet and quick on a shared 2-core machine.
    conf.setInt("dfs.namenode.handler.count", 8);
    conf.setInt("dfs.datanode.handler.count", 4);

    File formatted = new File(base, ".formatted");
    boolean format = !formatted.exists();
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, base)
        .nameNodePort(nnPort).nameNodeHttpPort(nnHttpPort).numDataNodes(1)
        .checkDataNodeAddrConfig(true).format(format).build();
    cluster.waitActive();
    Files.writeString(formatted.toPath(), "1");
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::shutdown));
    String fsUri = "hdfs://127.0.0.1:" + nnPort;
    System.out.println("RADLAB-HDFS namenode " + fsUri + " webhdfs http://127.0.0.1:" + nnHttpPort);

    // HttpFS reads core-site.xml from its hadoop config dir to find the NameNode.
    httpfsConf.mkdirs();
    Files.writeString(new File(httpfsConf, "core-site.xml").toPath(),
        "<configuration><property><name>fs.defaultFS</name><value>" + fsUri + "</value></property></configuration>\n");
    // One DataNode: an APPEND must not look for another one to replace it in the pipeline.
    Files.writeString(new File(httpfsConf, "hdfs-site.xml").toPath(), "<configuration>"
        + "<property><name>dfs.client.block.write.replace-datanode-on-failure.enable</name><value>false</value></property>"
        + "</configuration>\n");
    // ProxyUsers is one static table per JVM: HttpFS reloads it from its own "httpfs.proxyuser." keys,
    // which then also decide what the NameNode lets this user impersonate.
    Files.writeString(new File(httpfsConf, "httpfs-site.xml").toPath(), "<configuration>"
        + "<property><name>httpfs.http.hostname</name><value>127.0.0.1</value></property>"
        + "<property><name>httpfs.http.port</name><value>" + prop("radlab.httpfs.port") + "</value></property>"
        + "<property><name>httpfs.proxyuser." + me + ".hosts</name><value>*</value></property>"
        + "<property><name>httpfs.proxyuser." + me + ".groups</name><value>*</value></property>"
        + "</configuration>\n");
    Thread httpfs = new Thread(() -> {
      try {
        HttpFSServerWebServer.main(new String[0]);
      } catch (Throwable t) {
        t.printStackTrace();
        System.exit(2);
      }
    }, "httpfs");
    httpfs.setDaemon(true);
    httpfs.start();

    DistributedFileSystem admin = cluster.getFileSystem();
    if (!admin.exists(new org.apache.hadoop.fs.Path("/user/" + user + "/.radlab-seeded"))) {
      long t0 = System.nanoTime();
      seed(admin, FileSystem.get(URI.create(fsUri), conf, user), user, seedDir, bigMiB, manyFiles);
      System.out.printf("RADLAB-HDFS seeded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
    System.out.println("RADLAB-HDFS READY");
    Thread.currentThread().join();
  }

  static org.apache.hadoop.fs.Path p(String s) {
    return new org.apache.hadoop.fs.Path(s);
  }

  static void seed(DistributedFileSystem admin, FileSystem fs, String user, File seedDir, long bigMiB,
      int manyFiles) throws Exception {
    String home = "/user/" + user;
    admin.mkdirs(p(home));
    admin.setOwner(p(home), user, user);
    // Something the user may not read (permission-denied tests) and a folder with a quota.
    admin.mkdirs(p("/restricted"), new FsPermission((short) 0700));
    admin.mkdirs(p(home + "/quota"));
    admin.setOwner(p(home + "/quota"), user, user);
    admin.setQuota(p(home + "/quota"), 10, 4L * 1024 * 1024);

    // Files the script prepared (CSV, JSON, DICOM series, NIfTI, names with odd characters).
    if (seedDir.isDirectory()) {
      Path root = seedDir.toPath();
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path f : (Iterable<Path>) walk::iterator) {
          String rel = root.relativize(f).toString();
          if (rel.isEmpty() || f.getFileName().toString().startsWith(".")) continue;
          org.apache.hadoop.fs.Path target = p(home + "/" + rel);
          if (Files.isDirectory(f)) fs.mkdirs(target);
          else fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(f.toUri()), target);
        }
      }
    }
    writeParquet(fs, p(home + "/sample/studies_parquet/part-0.parquet"));

    // 100,000 empty files: creates are NameNode-only (no DataNode pipeline), in a few threads.
    String many = home + "/many";
    fs.mkdirs(p(many));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> jobs = new ArrayList<>();
    int per = (manyFiles + 3) / 4;
    for (int t = 0; t < 4; t++) {
      int from = t * per, to = Math.min(manyFiles, from + per);
      jobs.add(pool.submit(() -> {
        for (int i = from; i < to; i++) fs.create(p(String.format("%s/file-%06d.json", many, i)), false).close();
        return null;
      }));
    }
    for (Future<?> j : jobs) j.get();
    pool.shutdown();

    // A multi-GB file of generated bytes (a repeating pattern: cheap to write, checkable by offset).
    if (bigMiB > 0) {
      fs.mkdirs(p(home + "/big"));
      byte[] buf = new byte[1 << 20];
      for (int i = 0; i < buf.length; i++) buf[i] = (byte) (i % 251);
      try (FSDataOutputStream out = fs.create(p(home + "/big/big-" + bigMiB + "MiB.bin"), true, 1 << 20, (short) 1, 256L << 20)) {
        for (long m = 0; m < bigMiB; m++) out.write(buf);
      }
    }
    try (OutputStream out = fs.create(p(home + "/.radlab-seeded"), true)) {
      out.write("seeded by scripts/services/hdfs\n".getBytes(StandardCharsets.UTF_8));
    }
    // A checkpoint: later starts load one image instead of replaying 100,000 creates from the edit log.
    admin.setSafeMode(org.apache.hadoop.hdfs.protocol.HdfsConstants.SafeModeAction.SAFEMODE_ENTER);
    admin.saveNamespace();
    admin.setSafeMode(org.apache.hadoop.hdfs.protocol.HdfsConstants.SafeModeAction.SAFEMODE_LEAVE);
  }

  static void writeParquet(FileSystem fs, org.apache.hadoop.fs.Path path) throws Exception {
    MessageType schema = MessageTypeParser.parseMessageType(
        "message study { required binary study_id (UTF8); required binary patient_id (UTF8); "
            + "required binary modality (UTF8); required int32 num_images; }");
    String[] mods = {"CT", "MR", "CR", "DX", "US", "PT", "MG", "NM"};
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(path).withConf(fs.getConf()).withType(schema).build()) {
      for (int i = 1; i <= 200; i++) {
        w.write(groups.newGroup().append("study_id", "1.2.826.0.1.3680043.10.1093." + (1000 + i))
            .append("patient_id", String.format("PAT%05d", (i * 37) % 60 + 1))
            .append("modality", mods[(i * 7) % 8]).append("num_images", (i * 53) % 900 + 1));
      }
    }
  }
}
