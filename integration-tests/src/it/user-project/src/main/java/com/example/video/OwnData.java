package com.example.video;

import io.saccade.runtime.data.FrameFolderDataset;
import io.saccade.runtime.data.LabelMap;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.data.VideoFileDataset;
import io.saccade.runtime.model.VideoModel;
import java.io.IOException;
import java.nio.file.Path;

/** Your own videos, laid out as Something-Something or Kinetics are: a folder, a list file, a label map. */
public final class OwnData {

  /** Frame folders: {@code root/<video>/00001.jpg, …}; list lines {@code <video> <frames> <label>}. */
  public static VideoDataset frameFolders(VideoModel model, Path root, Path list, Path labels) throws IOException {
    return FrameFolderDataset.builder().root(root).list(list).labels(LabelMap.read(labels)).forModel(model).build();
  }

  /** Video files (mp4, webm, avi, …): list lines {@code <file> <label>}; decoded by FFmpeg, no extraction. */
  public static VideoDataset videoFiles(VideoModel model, Path root, Path list, Path labels) throws IOException {
    return VideoFileDataset.builder().root(root).list(list).labels(LabelMap.read(labels)).forModel(model).build();
  }
}
