using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>Self-attention followed by its output block (Hugging Face: <c>attention.self</c>, <c>attention.output</c>).</summary>
public sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertSelfAttention self;
    private readonly BertSelfOutput output;

    public BertAttention(BertConfig config) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config);
        output = new BertSelfOutput(config, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor maskBias)
    {
        using var attended = self.call(hidden, maskBias);
        return output.call(attended, hidden);
    }
}
