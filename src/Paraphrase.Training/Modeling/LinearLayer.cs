using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>
/// y = x Wᵀ + b with parameters named like torch's Linear (<c>weight</c> [out, in], <c>bias</c> [out]). Unlike TorchSharp's
/// Linear it creates its parameters uninitialised, so building a model draws nothing from the random generator: the
/// seeded <see cref="BertInitializer"/> (or loaded weights) fills them, and a seed gives the same head as before.
/// </summary>
public sealed class LinearLayer : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    public LinearLayer(long inputSize, long outputSize) : base(nameof(LinearLayer))
    {
        weight = nn.Parameter(empty(outputSize, inputSize));
        bias = nn.Parameter(zeros(outputSize));
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public Parameter Bias => bias;

    /// <param name="input">(…, in)</param>
    /// <returns>(…, out), in the <see cref="Autocast"/> type when a scope is open</returns>
    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);
}
