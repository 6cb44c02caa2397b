using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>One transformer layer: attention, feed-forward expansion, output block.</summary>
public sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertSelfOutput output;

    public BertLayer(BertConfig config) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertSelfOutput(config, config.IntermediateSize);
        RegisterComponents();
    }

    /// <param name="hidden">(B, T, hidden)</param>
    /// <param name="maskBias">(B, 1, 1, T)</param>
    public override Tensor forward(Tensor hidden, Tensor maskBias)
    {
        using var scope = NewDisposeScope();
        var attended = attention.call(hidden, maskBias);
        return output.call(intermediate.call(attended), attended).MoveToOuterDisposeScope();
    }
}
