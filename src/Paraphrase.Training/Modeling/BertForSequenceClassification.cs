using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>
/// BERT with a linear classifier on the pooled output (Hugging Face's <c>BertForSequenceClassification</c>:
/// keys <c>bert.*</c> and <c>classifier.*</c>). Returns logits (B, num_labels).
/// </summary>
public sealed class BertForSequenceClassification : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly BertModel bert;
    private readonly Dropout dropout;
    private readonly LinearLayer classifier;

    public BertForSequenceClassification(BertConfig config) : base(nameof(BertForSequenceClassification))
    {
        config.Validate("model configuration");
        Config = config;
        bert = new BertModel(config);
        dropout = nn.Dropout(config.ClassifierDropout ?? config.HiddenDropoutProb);
        classifier = new LinearLayer(config.HiddenSize, config.NumLabels);
        RegisterComponents();
        BertInitializer.Initialize(this, config);
    }

    public BertConfig Config { get; }

    /// <summary>The encoder without the classifier head.</summary>
    public BertModel Bert => bert;

    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask)
    {
        using var pooled = bert.call(inputIds, tokenTypeIds, attentionMask);
        using var dropped = dropout.call(pooled);
        using var logits = classifier.call(dropped);
        return logits.to_type(ScalarType.Float32); // float32 under autocast too, for the loss and for readers of the logits
    }
}
