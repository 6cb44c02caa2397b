using Paraphrase.Core.Artifacts;

namespace Paraphrase.Onnx;

/// <summary>When an export's parity figures are good enough to publish it: the exporter's rule, not part of the manifest format.</summary>
public static class ExportAcceptance
{
    /// <summary>portable and fused: logits within 1e-4. int8: ≥ 99% same labels and accuracy within 0.5 points.</summary>
    /// <returns>Why the export fails, or null when it passes.</returns>
    public static string? Failure(this ExportVerification verification, OnnxVariant variant)
    {
        if (variant != OnnxVariant.Int8)
        {
            return verification.MaxAbsoluteDifference <= 1e-4 ? null : $"logits differ from TorchSharp's by up to {verification.MaxAbsoluteDifference:E2} (allowed 1e-4)";
        }

        string accuracy = verification.SourceAccuracy is double s && verification.ExportAccuracy is double e ? $"; accuracy {e:P2} vs {s:P2} in float32" : "";
        if (verification.ArgmaxAgreement < 0.99)
        {
            return $"only {verification.ArgmaxAgreement:P1} of predictions agree with the float32 model (required 99%){accuracy}";
        }

        return verification.SourceAccuracy is double source && verification.ExportAccuracy is double export && source - export > 0.005
            ? $"accuracy drops from {source:P2} to {export:P2} (allowed 0.5 points)"
            : null;
    }
}
