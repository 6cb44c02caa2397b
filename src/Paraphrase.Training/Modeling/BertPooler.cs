using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>tanh(dense(hidden state of [CLS])): the sentence-pair representation the classifier reads.</summary>
public sealed class BertPooler : nn.Module<Tensor, Tensor>
{
    private readonly LinearLayer dense;

    public BertPooler(BertConfig config) : base(nameof(BertPooler))
    {
        dense = new LinearLayer(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="hidden">(B, T, hidden)</param>
    /// <returns>(B, hidden)</returns>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return dense.call(hidden[.., 0]).tanh().MoveToOuterDisposeScope();
    }
}
