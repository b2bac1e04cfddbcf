package io.saccade.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChannelsTest {

  @Test
  void makeDivisibleMatchesMobileNetV3Channels() {
    // torchvision's MobileNetV3-Large squeeze channels: expand // 4 rounded to multiples of 8
    assertEquals(24, Channels.squeeze(72));
    assertEquals(32, Channels.squeeze(120));
    assertEquals(120, Channels.squeeze(480));
    assertEquals(168, Channels.squeeze(672));
    assertEquals(240, Channels.squeeze(960));
    assertEquals(8, Channels.makeDivisible(3, 8)); // at least the divisor
    assertEquals(16, Channels.makeDivisible(16 * 0.75, 8)); // 12 rounds half up to 16
    assertEquals(16, Channels.makeDivisible(11, 8)); // 8 would lose more than 10%
    assertEquals(40, Channels.makeDivisible(40 * 1.0, 8));
  }

  @Test
  void badArgumentsThrowNamingValueAndLimit() {
    String divisor = assertThrows(IllegalArgumentException.class, () -> Channels.makeDivisible(16, 0)).getMessage();
    assertTrue(divisor.contains("divisor") && divisor.contains(">= 1") && divisor.contains("0"), divisor);
    String value = assertThrows(IllegalArgumentException.class, () -> Channels.makeDivisible(0, 8)).getMessage();
    assertTrue(value.contains("> 0") && value.contains("0"), value);
  }
}
