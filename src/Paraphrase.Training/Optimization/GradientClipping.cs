using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Optimization;

/// <summary>
/// torch's <c>clip_grad_norm_</c> (norm 2) as one multi-tensor computation that stays on the device: TorchSharp's own
/// returns the norm as a double, which makes every step wait for the device.
/// </summary>
public static class GradientClipping
{
    /// <summary>Scales the gradients of <paramref name="parameters"/> so that their joint L2 norm is at most <paramref name="maxNorm"/>.</summary>
    /// <returns>The norm before clipping, a scalar tensor on the gradients' device (reading it waits for the device).</returns>
    public static Tensor ClipGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToArray();
        try
        {
            return grads.Length == 0 ? tensor(0f) : MultiTensorKernels.ClipGradNorm(grads, maxNorm);
        }
        finally
        {
            foreach (var grad in grads)
            {
                grad.Dispose(); // the handles only: the gradients stay with their parameters
            }
        }
    }
}
