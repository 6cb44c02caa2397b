namespace Paraphrase.Core.Artifacts;

/// <summary>How an exported variant compares with the TorchSharp model it came from (the parity figures of a manifest).</summary>
/// <param name="Pairs">Pairs compared.</param>
/// <param name="MaxAbsoluteDifference">Largest |ORT logit − TorchSharp logit|.</param>
/// <param name="ArgmaxAgreement">Share of pairs where both predict the same label.</param>
/// <param name="SourceAccuracy">TorchSharp accuracy on the labelled pairs (null without labels).</param>
/// <param name="ExportAccuracy">ONNX Runtime accuracy on the labelled pairs (null without labels).</param>
public sealed record ExportVerification(int Pairs, double MaxAbsoluteDifference, double ArgmaxAgreement, double? SourceAccuracy, double? ExportAccuracy)
{
    /// <summary>Mean |ORT logit − TorchSharp logit| over all pairs and labels: a steadier measure of int8 error than agreement.</summary>
    public double MeanAbsoluteDifference { get; init; }
}
