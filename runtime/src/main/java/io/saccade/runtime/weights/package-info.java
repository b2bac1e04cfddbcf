/**
 * Reading weights saved by other frameworks and loading them into Saccade's parameters.
 *
 * <ul>
 *   <li>{@link io.saccade.runtime.weights.Npz} / {@link io.saccade.runtime.weights.Npy}: numpy's
 *       {@code .npz} / {@code .npy}; {@link io.saccade.runtime.weights.SafeTensors}: {@code .safetensors}.
 *       Both give an ordered {@code Map<String, NpyArray>}; float16 and bfloat16 convert to float32
 *       exactly ({@link io.saccade.runtime.weights.Float16}).</li>
 *   <li>{@link io.saccade.runtime.weights.Layouts} and {@link io.saccade.runtime.weights.Conversion}:
 *       PyTorch OIHW / {@code [out, in]} / NCHW to TensorFlow HWIO / {@code [in, out]} / NHWC.</li>
 *   <li>{@link io.saccade.runtime.weights.WeightMapping}, {@link io.saccade.runtime.weights.WeightImport}
 *       and {@link io.saccade.runtime.weights.ImportPlan}: map keys to parameter names, check every name
 *       and shape at once, then load in one {@code Session.run}.</li>
 *   <li>The safetensors header and the fixtures' {@code meta.json} are read with the runtime's one
 *       JSON parser, {@link io.saccade.runtime.io.Json}.</li>
 * </ul>
 *
 * <p>A PyTorch checkpoint converts to {@code .npz} once, in Python, with no other dependency:
 * <pre>{@code
 * import torch, numpy as np
 * sd = torch.load("checkpoint.pth.tar", map_location="cpu")["state_dict"]
 * np.savez("weights.npz", **{k: v.numpy() for k, v in sd.items()})
 * }</pre>
 */
package io.saccade.runtime.weights;
