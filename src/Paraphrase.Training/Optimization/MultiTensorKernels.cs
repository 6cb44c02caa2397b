using TorchSharp;
using static TorchSharp.torch;

namespace Paraphrase.Training.Optimization;

/// <summary>
/// LibTorch's multi-tensor kernels, which TorchSharp does not bind, reached through a TorchScript unit compiled once per
/// process: TorchScript takes a C# <c>Tensor[]</c> as <c>List[Tensor]</c> and can call the <c>torch._fused_*</c> and
/// <c>torch._foreach_*</c> operators. One call covers a whole list of tensors, which is what makes an optimizer step cheap
/// on a GPU (a few launches instead of several per parameter) and on the CPU (one pass over memory instead of nine).
/// Numbers go in as Scalars the caller holds: TorchSharp would otherwise make temporaries that a garbage collection can
/// free during the call (see <see cref="Runtime.HeldScalars"/>).
/// </summary>
internal static class MultiTensorKernels
{
    private const string Source = """
        def adamw(params: List[Tensor], grads: List[Tensor], exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor],
                  steps: List[Tensor], lr: float, beta1: float, beta2: float, weight_decay: float, eps: float):
            torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, [], steps, lr=lr, beta1=beta1, beta2=beta2,
                                weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False)

        def clip_grad_norm(grads: List[Tensor], max_norm: float) -> Tensor:
            total = torch.linalg_vector_norm(torch.stack(torch._foreach_norm(grads, 2.0)), 2.0)
            torch._foreach_mul_(grads, torch.clamp(max_norm / (total + 1e-6), max=1.0))
            return total

        """; // the parser wants the last line ended

    private static readonly Lazy<jit.CompilationUnit> Unit = new(() => jit.compile(Source));

    /// <summary>
    /// One AdamW step over every tensor of a group: decoupled weight decay, then the bias-corrected update, with the step
    /// counts read from <paramref name="steps"/> (already incremented for this step) on the device.
    /// </summary>
    public static void AdamW(Tensor[] parameters, Tensor[] grads, Tensor[] expAvgs, Tensor[] expAvgSqs, Tensor[] steps,
        double learningRate, double beta1, double beta2, double weightDecay, double epsilon)
    {
        using Scalar lr = learningRate.ToScalar(), b1 = beta1.ToScalar(), b2 = beta2.ToScalar(), decay = weightDecay.ToScalar(), eps = epsilon.ToScalar();
        Unit.Value.invoke("adamw", parameters, grads, expAvgs, expAvgSqs, steps, lr, b1, b2, decay, eps);
    }

    /// <summary>
    /// Scales <paramref name="grads"/> in place so that their joint L2 norm is at most <paramref name="maxNorm"/>, as
    /// torch's <c>clip_grad_norm_</c> does, without reading anything back to the host.
    /// </summary>
    /// <returns>The norm before clipping, a scalar on the gradients' device.</returns>
    public static Tensor ClipGradNorm(Tensor[] grads, double maxNorm)
    {
        using Scalar max = maxNorm.ToScalar();
        return Unit.Value.invoke<Tensor>("clip_grad_norm", grads, max);
    }
}
