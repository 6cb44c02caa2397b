using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>
/// y = x Wᵀ + b with parameters named like torch's Linear (<c>weight</c> [out, in], <c>bias</c> [out]),
/// computed in the <see cref="Autocast"/> type when a scope is open; the result is float32 either way.
/// </summary>
public sealed class AutocastLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    public AutocastLinear(long inputSize, long outputSize) : base(nameof(AutocastLinear))
    {
        weight = nn.Parameter(empty(outputSize, inputSize));
        bias = nn.Parameter(zeros(outputSize));
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public Parameter Bias => bias;

    /// <param name="input">(…, in)</param>
    /// <returns>(…, out), float32</returns>
    public override Tensor forward(Tensor input)
    {
        if (Autocast.Current is not ScalarType low)
        {
            return nn.functional.linear(input, weight, bias);
        }

        using var scope = NewDisposeScope();
        return nn.functional.linear(input.to_type(low), weight.to_type(low), bias.to_type(low)).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
