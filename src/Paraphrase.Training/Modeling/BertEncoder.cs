using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>The stack of transformer layers (<c>encoder.layer.N</c>).</summary>
public sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<BertLayer> layer;

    public BertEncoder(BertConfig config) : base(nameof(BertEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor maskBias)
    {
        using var scope = NewDisposeScope();
        foreach (var block in layer)
        {
            hidden = block.call(hidden, maskBias);
        }

        return hidden.MoveToOuterDisposeScope();
    }
}
