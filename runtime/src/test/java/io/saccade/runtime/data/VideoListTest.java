package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VideoListTest {

  @Test
  void goodLinesParseAndBadLinesAreRejectedWithFileAndLine() {
    LabelMap labels = LabelMap.of(List.of("left", "right", "up"));
    List<String> lines = List.of(
        "# comment",
        "v/001 37 2",
        "",
        "v/002 12",                  // 4: two fields
        "v/003 0 1",                 // 5: no frames
        "folder with spaces/004  9\t1",
        "v/005 10 7",                // 7: label out of range
        "v/006 10 right",            // label by name
        "v/007 10 sideways",         // 9: unknown name
        "v/008 x1 0");               // 10: frames not a number
    VideoList list = VideoList.parse("train.txt", lines, labels, 0);
    assertEquals(3, list.entries().size());
    assertEquals(new VideoList.Entry("v/001", 37, 2, "train.txt", 2), list.entries().get(0));
    assertEquals(new VideoList.Entry("folder with spaces/004", 9, 1, "train.txt", 6), list.entries().get(1));
    assertEquals(new VideoList.Entry("v/006", 10, 1, "train.txt", 8), list.entries().get(2));
    List<String> messages = list.rejected().stream().map(Throwable::getMessage).toList();
    assertEquals(5, messages.size(), messages.toString());
    assertTrue(messages.get(0).startsWith("train.txt:4: expected 'path num_frames label', got 2 fields"), messages.get(0));
    assertTrue(messages.get(1).startsWith("train.txt:5: num_frames must be an integer >= 1, got '0'"), messages.get(1));
    assertTrue(messages.get(2).startsWith("train.txt:7: unknown label 7: there are 3 classes"), messages.get(2));
    assertTrue(messages.get(3).startsWith("train.txt:9: unknown label 'sideways'"), messages.get(3));
    assertTrue(messages.get(4).startsWith("train.txt:10: num_frames must be an integer >= 1, got 'x1'"), messages.get(4));
    assertEquals(9, list.rejected().get(3).line());
    assertEquals("train.txt", list.rejected().get(3).file());
  }

  @Test
  void withoutALabelMapLabelsMustBeIntegers() {
    VideoList list = VideoList.parse("l.txt", List.of("a 3 0", "b 3 cat", "c 3 4"), null, 4);
    assertEquals(1, list.entries().size());
    assertTrue(list.rejected().get(0).getMessage().startsWith("l.txt:2: label must be a non-negative integer"));
    assertTrue(list.rejected().get(1).getMessage().startsWith("l.txt:3: unknown label 4: there are 4 classes"));
  }

  @Test
  void videoFileListsMayLeaveTheFrameCountOut() {
    LabelMap labels = LabelMap.of(List.of("left", "right", "up"));
    List<String> lines = List.of(
        "clips/a.mp4 2",
        "clips/b.webm 48 right",
        "my clips/c d.avi 1",        // spaces in the path, no count
        "clips/e.mp4 0 1",           // 4: a count, but 0
        "clips/f.mp4",               // 5: one field
        "clips/g.mp4 12 sideways");  // 6: unknown label
    VideoList list = VideoList.parseVideoFiles("videos.txt", lines, labels, 0);
    assertEquals(List.of(
        new VideoList.Entry("clips/a.mp4", 0, 2, "videos.txt", 1),
        new VideoList.Entry("clips/b.webm", 48, 1, "videos.txt", 2),
        new VideoList.Entry("my clips/c d.avi", 0, 1, "videos.txt", 3)), list.entries());
    assertTrue(!list.entries().get(0).hasFrameCount() && list.entries().get(1).hasFrameCount());
    List<String> messages = list.rejected().stream().map(Throwable::getMessage).toList();
    assertEquals(3, messages.size(), messages.toString());
    assertTrue(messages.get(0).startsWith("videos.txt:4: num_frames must be an integer >= 1, got '0'"), messages.get(0));
    assertTrue(messages.get(1).startsWith("videos.txt:5: expected 'path [num_frames] label', got 1 field"), messages.get(1));
    assertTrue(messages.get(2).startsWith("videos.txt:6: unknown label 'sideways'"), messages.get(2));

    // A frame-folder list still needs the count.
    assertEquals(1, VideoList.parse("frames.txt", List.of("clips/a.mp4 2"), labels, 0).rejected().size());
  }
}
