package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frame folders and video files where a fifth of the listed videos are broken, each in another way: loading
 * goes through every epoch, each bad video is reported once with its path and list line, and the counts add
 * up (loaded + skipped + rejected at open = lines listed).
 */
class BadDataAtScaleTest {

  private static final int FRAMES = 4;
  private static final int SIZE = 16;

  @TempDir Path dir;

  @Test
  void frameFoldersWithAFifthBrokenLoadToTheEndReportingEachOnceWithItsLine() throws Exception {
    Path root = dir.resolve("frames");
    List<String> lines = new ArrayList<>();
    Map<String, String> broken = new TreeMap<>(); // list line -> what the report must name
    for (int v = 0; v < 20; v++) {
      String name = "v" + v;
      lines.add(name + " 6 " + (v % 4));
      for (int f = 1; f <= 6; f++) {
        Path frame = root.resolve(name).resolve(String.format("%05d.jpg", f));
        int shade = 20 * v;
        TestFrames.jpeg(frame, TestFrames.image(20, 20, (x, y) -> TestFrames.rgb(shade, x * 10, y * 10)));
      }
    }
    // v1: the folder is missing.
    deleteTree(root.resolve("v1"));
    broken.put("train.txt:2", root.resolve("v1/").toString());
    // v5: a frame cut in half (a copy interrupted).
    Path cut = root.resolve("v5/00001.jpg");
    byte[] jpeg = Files.readAllBytes(cut);
    for (int f = 1; f <= 6; f++) {
      Files.write(root.resolve("v5").resolve(String.format("%05d.jpg", f)), Arrays.copyOf(jpeg, jpeg.length / 2));
    }
    broken.put("train.txt:6", root.resolve("v5/").toString());
    // v9: zero-byte frames.
    for (int f = 1; f <= 6; f++) {
      Files.write(root.resolve("v9").resolve(String.format("%05d.jpg", f)), new byte[0]);
    }
    broken.put("train.txt:10", root.resolve("v9/").toString());
    // v13: fewer frames in the folder than the list says (the last three are missing).
    for (int f = 4; f <= 6; f++) {
      Files.delete(root.resolve("v13").resolve(String.format("%05d.jpg", f)));
    }
    broken.put("train.txt:14", root.resolve("v13/").toString());
    // v11: four-channel (CMYK-like) JPEGs: ImageIO decodes them, so they load like any frame.
    for (int f = 1; f <= 6; f++) {
      cmykJpeg(root.resolve("v11").resolve(String.format("%05d.jpg", f)));
    }
    // v17: not JPEG at all.
    for (int f = 1; f <= 6; f++) {
      Files.writeString(root.resolve("v17").resolve(String.format("%05d.jpg", f)), "<html>404 Not Found</html>");
    }
    broken.put("train.txt:18", root.resolve("v17/").toString());
    // v3: greyscale frames are fine (converted to RGB), not broken.
    for (int f = 1; f <= 6; f++) {
      BufferedImage grey = new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY);
      TestFrames.jpeg(root.resolve("v3").resolve(String.format("%05d.jpg", f)), grey);
    }
    // And one line that is not a video line at all: rejected when the list is read.
    lines.add("v20 six 1");
    Path list = dir.resolve("train.txt");
    Files.write(list, lines);

    FrameFolderDataset data = FrameFolderDataset.builder().root(root).list(list).classes(4).frames(FRAMES).size(SIZE).build();
    assertEquals(20, data.size());
    assertEquals(1, data.rejected().size());
    for (int loadable : new int[] {3, 11}) { // greyscale, four channels
      for (float x : data.load(loadable, Sampling.eval()).data()) {
        assertTrue(Float.isFinite(x), "v" + loadable);
      }
    }
    assertTrue(data.rejected().get(0).getMessage().startsWith(list + ":21: "), data.rejected().get(0).getMessage());
    checkLoading(data, 21, broken);
    // Training goes through to the end; the summary counts the skipped videos of both epochs.
    try (io.saccade.runtime.train.Trainer t = io.saccade.runtime.train.Trainer.builder(new io.saccade.runtime.train.TinyAfModel(4))
        .trainData(data).epochs(2).batchSize(4).threads(2).seed(1).build()) {
      io.saccade.runtime.train.Trainer.Summary s = t.fit();
      assertEquals(10, s.steps());
      assertEquals(2 * broken.size(), s.skippedSamples());
      assertTrue(Double.isFinite(s.lastLoss()));
    }
  }

  @Test
  void videoFilesWithAFifthBrokenLoadToTheEndReportingEachOnceWithItsLine() throws Exception {
    Path root = dir.resolve("videos");
    List<String> lines = new ArrayList<>();
    Map<String, String> broken = new TreeMap<>();
    for (int v = 0; v < 10; v++) {
      lines.add("v" + v + ".mp4 " + (v % 4));
      int shade = v;
      TestVideos.write(root.resolve("v" + v + ".mp4"), "mpeg4", 32, 32, 12, (t, x, y) -> TestVideos.solid(t + shade));
    }
    // v2: the file was cut off (an interrupted download).
    Path v2 = root.resolve("v2.mp4");
    byte[] bytes = Files.readAllBytes(v2);
    Files.write(v2, Arrays.copyOf(bytes, bytes.length / 3));
    broken.put("videos.txt:3", v2.toString());
    // v7: a video of one frame, shorter than minFrames.
    TestVideos.write(root.resolve("v7.mp4"), "mpeg4", 32, 32, 1, (t, x, y) -> TestVideos.solid(t));
    broken.put("videos.txt:8", root.resolve("v7.mp4").toString());
    // v4: empty file; v9: missing.
    Files.write(root.resolve("v4.mp4"), new byte[0]);
    broken.put("videos.txt:5", root.resolve("v4.mp4").toString());
    Files.delete(root.resolve("v9.mp4"));
    broken.put("videos.txt:10", root.resolve("v9.mp4").toString());
    Path list = dir.resolve("videos.txt");
    Files.write(list, lines);
    VideoFileDataset data =
        VideoFileDataset.builder().root(root).list(list).classes(4).frames(FRAMES).size(SIZE).minFrames(2).build();
    checkLoading(data, 10, broken);
  }

  @Test
  void anUnreadableFrameIsSkippedWithItsPath() throws Exception {
    Path frame = dir.resolve("frames/v0/00001.jpg");
    TestFrames.jpeg(frame, TestFrames.image(20, 20, (x, y) -> 0x808080));
    Files.setPosixFilePermissions(frame, PosixFilePermissions.fromString("---------"));
    assumeTrue(!Files.isReadable(frame), "permissions do not stop this user (root) from reading");
    Path list = dir.resolve("one.txt");
    Files.writeString(list, "v0 1 0\n");
    FrameFolderDataset data =
        FrameFolderDataset.builder().root(dir.resolve("frames")).list(list).classes(1).frames(FRAMES).size(SIZE).build();
    BadSampleException e = org.junit.jupiter.api.Assertions.assertThrows(BadSampleException.class, () -> data.load(0, Sampling.eval()));
    assertTrue(e.getMessage().startsWith(frame.toString()) && e.getMessage().contains("[" + list + ":1]"), e.getMessage());
  }

  /**
   * Two training epochs over {@code data}: every batch arrives; per epoch the valid rows, the skipped samples and
   * the lines rejected at open add up to {@code listed}; each broken video is reported once, naming its file and list line.
   */
  private static void checkLoading(ListedDataset data, int listed, Map<String, String> broken) {
    try (ClipLoader loader = ClipLoader.builder(data).batchSize(4).threads(2).training(true).seed(1)
        .remainder(ClipLoader.Remainder.KEEP).build()) {
      for (int epoch = 0; epoch < 2; epoch++) {
        int valid = 0;
        int skipped;
        try (ClipLoader.Epoch batches = loader.epoch(epoch)) {
          while (batches.hasNext()) {
            ClipBatch b = batches.next();
            valid += b.validCount();
          }
          skipped = batches.skipped();
        }
        assertEquals(broken.size(), skipped, "epoch " + epoch + " skipped the broken videos: " + loader.badSamples());
        assertEquals(listed, valid + skipped + data.rejected().size(), "loaded + skipped + rejected = listed, epoch " + epoch);
      }
      List<String> reported = loader.badSamples();
      assertEquals(broken.size(), reported.size(), "each broken video reported once over two epochs: " + reported);
      for (Map.Entry<String, String> e : broken.entrySet()) {
        String line = e.getKey();
        String path = e.getValue();
        assertEquals(1, reported.stream().filter(m -> m.startsWith(path) && m.contains(line + "]")).count(),
            "one report naming " + path + " and " + line + " in " + reported);
      }
    }
  }

  /** A JPEG with four colour channels (an Adobe CMYK file). */
  private static void cmykJpeg(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 20, 20, 4, null);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, null), null);
    } finally {
      writer.dispose();
    }
  }

  private static void deleteTree(Path p) throws Exception {
    io.saccade.runtime.io.FileTrees.delete(p);
  }
}
