package io.saccade.examples.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.interop.ImportReport;
import io.saccade.runtime.interop.PretrainedWeights;
import io.saccade.runtime.nn.Tensors;
import io.saccade.runtime.train.Trainer;
import io.saccade.runtime.weights.ImportPlan;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/** Reads back what an import wrote. */
final class ImportPlanCheck {
  private ImportPlanCheck() {}

  /** Every 1-D tensor the report lists as loaded holds the file's values (BN eps folds excepted). */
  static void assertLoaded(Trainer trainer, ImportReport report, PretrainedWeights weights) {
    int checked = 0;
    for (ImportPlan.Assignment a : report.loaded()) {
      if (a.sourceShape().length != 1 || a.parameter().endsWith("moving_variance")) {
        continue;
      }
      try (Result r = trainer.session().runner().fetch(trainer.store().get(a.parameter()).variable()).run()) {
        assertArrayEquals(weights.tensors().get(a.sourceKey()).floats(), Tensors.floats((TFloat32) r.get(0)), a.parameter());
      }
      checked++;
    }
    assertTrue(checked > 10, "1-D tensors checked: " + checked);
  }
}
