using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>Multi-head scaled dot-product attention over the sequence, padding masked out.</summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly int _heads;
    private readonly int _headSize;
    private readonly double _dropout;

    public BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        _heads = config.NumAttentionHeads;
        _headSize = config.HeadSize;
        _dropout = config.AttentionProbsDropoutProb;
        RegisterComponents();
    }

    /// <param name="hidden">(B, T, hidden)</param>
    /// <param name="maskBias">(B, 1, 1, T): 0 for tokens, a large negative number for padding.</param>
    /// <returns>(B, T, hidden)</returns>
    public override Tensor forward(Tensor hidden, Tensor maskBias)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0], length = hidden.shape[1];
        Tensor Heads(Linear projection) => projection.call(hidden).view(batch, length, _heads, _headSize).transpose(1, 2); // (B, H, T, D)
        var context = nn.functional.scaled_dot_product_attention(
            Heads(query), Heads(key), Heads(value), maskBias, training ? _dropout : 0.0, false);                     // (B, H, T, D)
        return context.transpose(1, 2).reshape(batch, length, _heads * _headSize).MoveToOuterDisposeScope();
    }
}
