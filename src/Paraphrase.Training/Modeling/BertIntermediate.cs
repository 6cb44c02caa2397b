using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>The feed-forward expansion with exact (erf) GELU.</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
    private readonly LinearLayer dense;

    public BertIntermediate(BertConfig config) : base(nameof(BertIntermediate))
    {
        dense = new LinearLayer(config.HiddenSize, config.IntermediateSize);
        RegisterComponents();
    }

    /// <returns>(B, T, intermediate)</returns>
    public override Tensor forward(Tensor hidden)
    {
        using var projected = dense.call(hidden);
        return nn.functional.gelu(projected);
    }
}
