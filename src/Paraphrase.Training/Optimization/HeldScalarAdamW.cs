using Paraphrase.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Optimization;

/// <summary>
/// TorchSharp's AdamW, the same update operation for operation (bit for bit, see its tests), but with every number
/// passed to LibTorch as a held Scalar: TorchSharp's own step converts numbers implicitly and fails at random when a
/// garbage collection runs during the call (see <see cref="HeldScalars"/>). State, parameter groups and checkpoints
/// are the base class's, unchanged.
/// </summary>
public sealed class HeldScalarAdamW : AdamW
{
    public HeldScalarAdamW(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(parameters, lr, beta1, beta2, eps, weightDecay)
    {
    }

    public HeldScalarAdamW(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(groups, lr, beta1, beta2, eps, weightDecay)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, lr = options.LearningRate!.Value;
        if (options.amsgrad == true || options.maximize == true)
        {
            throw new NotSupportedException("amsgrad and maximize are not used by this project's training");
        }

        using var decay = (1 - lr * options.weight_decay!.Value).ToScalar();
        using var keep1 = beta1.ToScalar();
        using var take1 = (1 - beta1).ToScalar();
        using var keep2 = beta2.ToScalar();
        using var take2 = (1 - beta2).ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }

            var state = (State)_state[parameter.Handle];
            state.step += 1;
            parameter.mul_(decay);
            double correction1 = 1 - Math.Pow(beta1, state.step), correction2 = 1 - Math.Pow(beta2, state.step);
            state.exp_avg.mul_(keep1).add_(grad, take1);
            state.exp_avg_sq.mul_(keep2).addcmul_(grad, grad, take2);
            using var rootCorrection2 = Math.Sqrt(correction2).ToScalar();
            using var stepSize = (-lr / correction1).ToScalar();
            var denominator = state.exp_avg_sq.sqrt().div(rootCorrection2).add_(eps, HeldScalars.One);
            parameter.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }, closure);
}
