using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>Multi-head scaled dot-product attention over the sequence, padding masked out.</summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly AutocastLinear query;
    private readonly AutocastLinear key;
    private readonly AutocastLinear value;
    private readonly int _heads;
    private readonly int _headSize;
    private readonly double _dropout;

    public BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        query = new AutocastLinear(config.HiddenSize, config.HiddenSize);
        key = new AutocastLinear(config.HiddenSize, config.HiddenSize);
        value = new AutocastLinear(config.HiddenSize, config.HiddenSize);
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
        var low = Autocast.Current;
        Tensor Heads(AutocastLinear projection)                                                                     // (B, H, T, D)
        {
            var heads = projection.call(hidden).view(batch, length, _heads, _headSize).transpose(1, 2);
            return low is ScalarType type ? heads.to_type(type) : heads;
        }

        var bias = maskBias;
        if (low is ScalarType lowType)
        {
            using var lowest = Autocast.MaskValue(lowType).ToScalar(); // held for the call: see HeldScalars
            bias = maskBias.clamp_min(lowest).to_type(lowType);
        }

        var context = nn.functional.scaled_dot_product_attention(
            Heads(query), Heads(key), Heads(value), bias, training ? _dropout : 0.0, false);                        // (B, H, T, D)
        return context.transpose(1, 2).reshape(batch, length, _heads * _headSize).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
