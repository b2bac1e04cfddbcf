package io.saccade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.Clip;
import io.saccade.runtime.data.FrameFolderDataset;
import io.saccade.runtime.data.Sampling;
import io.saccade.runtime.data.TestVideos;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.data.VideoFileDataset;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Which dataset the data options of train/eval/export choose. */
class DataOptionsTest {

  @TempDir Path dir;

  /** Only the clip shape and class count matter here. */
  private static final VideoModel MODEL = new VideoModel() {
    @Override
    public String name() {
      return "Shape";
    }

    @Override
    public int frames() {
      return 4;
    }

    @Override
    public int classes() {
      return 3;
    }

    @Override
    public int inputSize() {
      return 16;
    }

    @Override
    public ModelSummary summary() {
      throw new UnsupportedOperationException();
    }

    @Override
    public ModelOutputs build(BuildContext ctx, Operand<TFloat32> clips, Operand<TFloat32> temperature) {
      throw new UnsupportedOperationException();
    }
  };

  private DataOptions options(String list) throws Exception {
    DataOptions d = new DataOptions();
    d.root = dir;
    d.trainList = Files.writeString(dir.resolve("train.txt"), list);
    d.template = "{:05d}.jpg";
    return d;
  }

  @Test
  void withVideosTheListNamesVideoFiles() throws Exception {
    TestVideos.write(dir.resolve("clips/a.webm"), "libvpx", 40, 30, 8, (t, x, y) -> TestVideos.solid(t));
    DataOptions d = options("# videos\nclips/a.webm 2\n");
    d.videos = true;
    VideoDataset train = d.train(MODEL);
    VideoFileDataset videos = assertInstanceOf(VideoFileDataset.class, train);
    assertEquals(1, videos.size());
    assertEquals(2, videos.label(0));
    Clip c = videos.load(0, Sampling.train(1));
    assertEquals(4 * 16 * 16 * 3, c.data().length);
  }

  @Test
  void aVideoListWithoutVideosIsAnErrorNamingTheLine() throws Exception {
    DataOptions d = options("# videos\n\nclips/a.webm 2\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.train(MODEL));
    assertEquals(dir.resolve("train.txt") + ":3: 'clips/a.webm' is a video file; add --videos to decode video files "
        + "(without it the list names frame folders)", e.getMessage());

    DataOptions folders = options("clips/a 12 2\n");
    assertInstanceOf(FrameFolderDataset.class, folders.train(MODEL));
    assertTrue(folders.validation(MODEL) == null, "no --val-list, no validation set");
  }
}
