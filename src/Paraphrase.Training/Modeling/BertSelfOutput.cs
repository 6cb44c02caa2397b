using Paraphrase.Training.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>Projection, dropout and the residual LayerNorm; shared shape of BERT's attention and feed-forward outputs.</summary>
public sealed class BertSelfOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LinearLayer dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertSelfOutput(BertConfig config, int inputSize) : base(nameof(BertSelfOutput))
    {
        dense = new LinearLayer(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <param name="hidden">(B, T, inputSize)</param>
    /// <param name="residual">(B, T, hidden)</param>
    public override Tensor forward(Tensor hidden, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.call(dropout.call(dense.call(hidden)).add(residual, HeldScalars.One)).MoveToOuterDisposeScope(); // not + : see HeldScalars
    }
}
