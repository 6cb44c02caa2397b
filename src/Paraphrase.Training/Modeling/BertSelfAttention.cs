using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>
/// Multi-head scaled dot-product attention over the sequence, padding masked out. The query, key and value projections
/// keep Hugging Face's parameter names (checkpoints load name for name) but run as one matrix product over their
/// concatenated weights: one larger product instead of three is fewer kernel launches on a GPU and better blocking on
/// a CPU, and the gradients flow back through the concatenation to the three parameters.
/// </summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LinearLayer query;
    private readonly LinearLayer key;
    private readonly LinearLayer value;
    private readonly int _heads;
    private readonly int _headSize;
    private readonly double _dropout;

    public BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        query = new LinearLayer(config.HiddenSize, config.HiddenSize);
        key = new LinearLayer(config.HiddenSize, config.HiddenSize);
        value = new LinearLayer(config.HiddenSize, config.HiddenSize);
        _heads = config.NumAttentionHeads;
        _headSize = config.HeadSize;
        _dropout = config.AttentionProbsDropoutProb;
        RegisterComponents();
    }

    /// <param name="hidden">(B, T, hidden)</param>
    /// <param name="maskBias">(B, 1, 1, T): 0 for tokens, a large negative number for padding, in the autocast type if any.</param>
    /// <returns>(B, T, hidden)</returns>
    public override Tensor forward(Tensor hidden, Tensor maskBias)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0], length = hidden.shape[1];
        var weight = cat([query.Weight, key.Weight, value.Weight], 0);                                              // (3·hidden, hidden)
        var bias = cat([query.Bias, key.Bias, value.Bias], 0);
        var projected = nn.functional.linear(hidden, weight, bias)                                                  // (B, T, 3·hidden)
            .view(batch, length, 3, _heads, _headSize).permute(2, 0, 3, 1, 4);                                      // (3, B, H, T, D)
        var heads = projected.unbind(0);
        var context = nn.functional.scaled_dot_product_attention(heads[0], heads[1], heads[2], maskBias,
            training ? _dropout : 0.0, false);                                                                      // (B, H, T, D)
        return context.transpose(1, 2).reshape(batch, length, _heads * _headSize).MoveToOuterDisposeScope();
    }
}
