package io.saccade.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;

class TensorBoardWriterTest {

  @Test
  void maskedCrcMatchesTheTfRecordReferenceValue() {
    // CRC32C("123456789") = 0xE3069283 (RFC 3720 check value); masked by TFRecord's rotate-and-add.
    int crc = 0xE3069283;
    int expected = ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    byte[] bytes = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(expected, TensorBoardWriter.maskedCrc(bytes, 0, bytes.length));
  }

  @Test
  void writesValidFramedEventsThatParseBack(@TempDir Path dir) throws IOException {
    Path file;
    try (TensorBoardWriter tb = TensorBoardWriter.open(dir)) {
      tb.scalar("train/loss", 1, 2.5);
      tb.scalar("train/loss", 2, 1.25);
      tb.scalar("eval/top1", 2, 0.75);
      file = tb.file();
    }
    assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."));
    List<byte[]> records = TfRecordReader.readAll(file);
    assertEquals(4, records.size());
    assertEquals("brain.Event:2", Event.parseFrom(records.get(0)).getFileVersion());
    Event second = Event.parseFrom(records.get(2));
    assertEquals(2, second.getStep());
    assertEquals("train/loss", second.getSummary().getValue(0).getTag());
    assertEquals(1.25f, second.getSummary().getValue(0).getSimpleValue());
  }

  @Test
  void corruptionIsReportedWithItsOffset(@TempDir Path dir) throws IOException {
    Path file;
    try (TensorBoardWriter tb = TensorBoardWriter.open(dir)) {
      tb.scalar("a", 1, 1);
      file = tb.file();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 0x40;
    Files.write(file, bytes);
    IOException e = assertThrows(IOException.class, () -> TfRecordReader.readAll(file));
    assertTrue(e.getMessage().contains("bad data checksum") && e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void openingAtAStepDropsLaterEventsAndATornRecord(@TempDir Path dir) throws IOException {
    Path first;
    try (TensorBoardWriter tb = TensorBoardWriter.open(dir)) {
      for (int step = 1; step <= 10; step++) {
        tb.scalar("train/loss", step, step / 10.0);
      }
      first = tb.file();
    }
    byte[] bytes = Files.readAllBytes(first);
    Files.write(first, java.util.Arrays.copyOf(bytes, bytes.length - 5)); // step 10's record cut by a crash
    Path second;
    try (TensorBoardWriter tb = TensorBoardWriter.open(dir, 6)) {
      tb.scalar("train/loss", 7, 0.07);
      second = tb.file();
    }
    List<Long> kept = TfRecordReader.readAll(first).stream().skip(1).map(TensorBoardWriterTest::step).toList();
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), kept, "steps after 6 are gone from the old file");
    assertEquals(List.of(7L), TfRecordReader.readAll(second).stream().skip(1).map(TensorBoardWriterTest::step).toList());
    try (TensorBoardWriter tb = TensorBoardWriter.open(dir, 0)) {
      assertEquals(List.of(tb.file()), Files.list(dir).toList(), "a file left with no events is deleted");
    }
  }

  private static long step(byte[] record) {
    try {
      return Event.parseFrom(record).getStep();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
