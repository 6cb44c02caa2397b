namespace Paraphrase.Core.Artifacts;

/// <summary>How an exported variant compares with the TorchSharp model it came from.</summary>
/// <param name="Pairs">Pairs compared.</param>
/// <param name="MaxAbsoluteDifference">Largest |ORT logit − TorchSharp logit|.</param>
/// <param name="ArgmaxAgreement">Share of pairs where both predict the same label.</param>
/// <param name="SourceAccuracy">TorchSharp accuracy on the labelled pairs (null without labels).</param>
/// <param name="ExportAccuracy">ONNX Runtime accuracy on the labelled pairs (null without labels).</param>
public sealed record ExportVerification(int Pairs, double MaxAbsoluteDifference, double ArgmaxAgreement, double? SourceAccuracy, double? ExportAccuracy)
{
    /// <summary>Mean |ORT logit − TorchSharp logit| over all pairs and labels: a steadier measure of int8 error than agreement.</summary>
    public double MeanAbsoluteDifference { get; init; }

    /// <summary>portable and fused: logits within 1e-4. int8: ≥ 99% same labels and accuracy within 0.5 points.</summary>
    public string? Failure(OnnxVariant variant)
    {
        if (variant != OnnxVariant.Int8)
        {
            return MaxAbsoluteDifference <= 1e-4 ? null : $"logits differ from TorchSharp's by up to {MaxAbsoluteDifference:E2} (allowed 1e-4)";
        }

        string accuracy = SourceAccuracy is double s && ExportAccuracy is double e ? $"; accuracy {e:P2} vs {s:P2} in float32" : "";
        if (ArgmaxAgreement < 0.99)
        {
            return $"only {ArgmaxAgreement:P1} of predictions agree with the float32 model (required 99%){accuracy}";
        }

        return SourceAccuracy is double source && ExportAccuracy is double export && source - export > 0.005
            ? $"accuracy drops from {source:P2} to {export:P2} (allowed 0.5 points)"
            : null;
    }
}
