using TorchSharp;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>BERT: embeddings, encoder and pooler. Returns the pooled [CLS] representation.</summary>
public sealed class BertModel : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly BertPooler pooler;

    public BertModel(BertConfig config) : base(nameof(BertModel))
    {
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        pooler = new BertPooler(config);
        RegisterComponents();
    }

    /// <param name="inputIds">(B, T)</param>
    /// <param name="tokenTypeIds">(B, T)</param>
    /// <param name="attentionMask">(B, T), 1 for tokens and 0 for padding</param>
    /// <returns>(B, hidden)</returns>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask)
    {
        var (sequence, pooled) = Encode(inputIds, tokenTypeIds, attentionMask);
        sequence.Dispose();
        return pooled;
    }

    /// <returns>The last hidden state (B, T, hidden) and the pooled output (B, hidden).</returns>
    public (Tensor Sequence, Tensor Pooled) Encode(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var hidden = embeddings.call(inputIds, tokenTypeIds);
        // Padding gets the most negative number added to its attention scores, as Hugging Face does: made once per batch
        // in the autocast type, if any, so that no layer has to convert it. Numbers are held Scalars (see HeldScalars).
        var maskType = Autocast.TypeOn(hidden.device) ?? hidden.dtype;
        using var padding = 0.ToScalar();
        using var lowest = Autocast.MaskValue(maskType).ToScalar();
        var maskBias = zeros_like(attentionMask, dtype: maskType).masked_fill_(attentionMask.eq(padding), lowest).view(inputIds.shape[0], 1, 1, inputIds.shape[1]);
        var sequence = encoder.call(hidden, maskBias);
        var pooled = pooler.call(sequence);
        return (sequence.MoveToOuterDisposeScope(), pooled.MoveToOuterDisposeScope());
    }
}
