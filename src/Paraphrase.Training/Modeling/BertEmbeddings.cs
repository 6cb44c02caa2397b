using Paraphrase.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>Token + position + segment embeddings, then LayerNorm and dropout. Field names are Hugging Face's keys.</summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm; // Hugging Face's (TensorFlow's) name, kept so checkpoints load name for name
    private readonly Dropout dropout;

    public BertEmbeddings(BertConfig config) : base(nameof(BertEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        token_type_embeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <param name="inputIds">(B, T)</param>
    /// <param name="tokenTypeIds">(B, T)</param>
    /// <returns>(B, T, hidden)</returns>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var positions = arange(inputIds.shape[1], dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0); // (1, T)
        var one = HeldScalars.One; // not a + b: see HeldScalars
        var embeddings = word_embeddings.call(inputIds).add(token_type_embeddings.call(tokenTypeIds), one).add(position_embeddings.call(positions), one);
        return dropout.call(LayerNorm.call(embeddings)).MoveToOuterDisposeScope();
    }
}
