using Paraphrase.Core.Artifacts;
using Paraphrase.Pipeline.Activities;

namespace Paraphrase.Pipeline.Tests;

/// <summary>Whether an export passed its parity check, as the evaluate stage reads it from the export's manifest.</summary>
public sealed class ParityVerdictTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("parity-verdict-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AManifestWithParityFiguresForThisVariantIsAPass()
    {
        Assert.True(EvaluateCandidateActivity.ParityChecked(Write(Manifest("fused", pairs: 32))));
    }

    [Fact]
    public void MissingCorruptOrForeignManifestsAreNot()
    {
        Assert.False(EvaluateCandidateActivity.ParityChecked(Path.Combine(_directory, "model.fused.json")));
        Assert.False(EvaluateCandidateActivity.ParityChecked(Path.Combine(_directory, "missing", "model.fused.json")));
        Assert.False(EvaluateCandidateActivity.ParityChecked(Write(Manifest("int8", pairs: 32))));
        Assert.False(EvaluateCandidateActivity.ParityChecked(Write(Manifest("fused", pairs: 0))));

        string truncated = Path.Combine(_directory, "model.fused.json");
        File.WriteAllText(truncated, "{\"variant\": \"fused\", \"par");
        Assert.False(EvaluateCandidateActivity.ParityChecked(truncated));
    }

    private static ExportManifest Manifest(string variant, int pairs) => new(variant, $"model.{variant}.onnx", ["input_ids"], ["logits"], 17, [], "v", "c", "run",
        new ExportVerification(pairs, 1e-6, 1.0, null, null), null, DateTimeOffset.UnixEpoch, null);

    private string Write(ExportManifest manifest)
    {
        string path = Path.Combine(_directory, "model.fused.json");
        manifest.Save(path);
        return path;
    }
}
