using Paraphrase.Training.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Modeling;

/// <summary>
/// Hugging Face's BERT initialisation: linear and embedding weights from N(0, initializer_range), biases
/// zero, the padding row of the token embedding zero, LayerNorm weight one and bias zero. Applied to a new
/// model; weights loaded afterwards replace it, so a new classifier head on a base checkpoint keeps it.
/// </summary>
internal static class BertInitializer
{
    public static void Initialize(nn.Module root, BertConfig config)
    {
        using var noGrad = no_grad();
        foreach (var (name, module) in root.named_modules())
        {
            switch (module)
            {
                case LinearLayer linear:
                    linear.Weight.normal_(0, config.InitializerRange);
                    linear.Bias.zero_();
                    break;
                case Embedding embedding:
                    embedding.weight!.normal_(0, config.InitializerRange);
                    if (name.EndsWith("word_embeddings", StringComparison.Ordinal))
                    {
                        embedding.weight[config.PadTokenId].zero_();
                    }

                    break;
                case LayerNorm norm:
                    norm.weight!.fill_(HeldScalars.One); // not fill_(1): see HeldScalars
                    norm.bias!.zero_();
                    break;
            }
        }
    }
}
