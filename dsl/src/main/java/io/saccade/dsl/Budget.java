package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A compute budget the build enforces: compilation fails when the network's analytic cost per clip
 * (multiply-adds, at the declared target ratios) exceeds {@link #maxGflops()}.
 *
 * <pre>{@code
 * @Budget(maxGflops = 30)      // AFNet-R50-TSM, 12 frames, RT 0.5: 28.4 GFLOPs, passes
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Budget {

  /** Largest allowed cost in GFLOPs (10⁹ multiply-adds) per clip, &gt; 0. */
  double maxGflops();
}
