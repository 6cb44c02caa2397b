using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Tokenization;
using Paraphrase.Inference;
using Paraphrase.Inference.Tests;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.Data;
using Paraphrase.Training.Runtime;
using static TorchSharp.torch;

namespace Paraphrase.Onnx.Tests;

/// <summary>Exports of the tiny-bert fixture, checked against Hugging Face's logits and TorchSharp's.</summary>
public sealed class OnnxExportTests : IClassFixture<OnnxExportTests.Exported>
{
    private readonly Exported _exported;

    public OnnxExportTests(Exported exported) => _exported = exported;

    /// <summary>One export of all three variants, shared by the tests.</summary>
    public sealed class Exported : IDisposable
    {
        public Exported()
        {
            LibTorchRuntime.EnsureLoaded();
            Directory = System.IO.Directory.CreateTempSubdirectory("paraphrase-export-").FullName;
            Manifests = OnnxExporter.Export(Fixture("tiny-bert"), Directory, [OnnxVariant.Portable, OnnxVariant.Fused, OnnxVariant.Int8], Fixture("mrpc", "dev.tsv"));
        }

        public string Directory { get; }

        public IReadOnlyList<ExportManifest> Manifests { get; }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    [Theory]
    [InlineData("portable")]
    [InlineData("fused")]
    public void FloatVariantsReproduceHuggingFacesLogits(string variant)
    {
        using var classifier = ParaphraseClassifier.Open(_exported.Directory, options: new InferenceOptions { Variant = variant, ExecutionProvider = "cpu" });

        foreach (var expected in Reference.Json.GetProperty("eval_initial").EnumerateArray())
        {
            double worst = Reference.MaxDifference(expected.GetProperty("logits"), classifier.Run(Reference.Pairs(expected.GetProperty("batch"))));
            Assert.True(worst <= 1e-4, $"{variant}: max |difference| {worst:E2}");
        }
    }

    [Fact]
    public void Int8StaysCloseToHuggingFacesLogits()
    {
        using var classifier = ParaphraseClassifier.Open(_exported.Directory, options: new InferenceOptions { Variant = "int8", ExecutionProvider = "cpu" });

        foreach (var expected in Reference.Json.GetProperty("eval_initial").EnumerateArray())
        {
            double worst = Reference.MaxDifference(expected.GetProperty("logits"), classifier.Run(Reference.Pairs(expected.GetProperty("batch"))));
            Assert.True(worst <= 1e-3, $"int8: max |difference| {worst:E2}");
        }
    }

    [Fact]
    public void ManifestsDescribeEachFile()
    {
        var vocabulary = WordPieceVocabulary.Load(Fixture("tiny-bert", "vocab.txt"));

        Assert.Equal(["portable", "fused", "int8"], _exported.Manifests.Select(m => m.Variant));
        foreach (var manifest in _exported.Manifests)
        {
            Assert.True(File.Exists(Path.Combine(_exported.Directory, manifest.File)));
            Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], manifest.Inputs);
            Assert.Equal(["logits"], manifest.Outputs);
            Assert.Equal(17, manifest.Opset);
            Assert.Equal(vocabulary.Sha256, manifest.VocabularySha256);
            Assert.Equal(408, manifest.Parity.Pairs);
            Assert.True(manifest.Parity.ArgmaxAgreement >= 0.99);
            Assert.InRange(manifest.Parity.MeanAbsoluteDifference, double.Epsilon, manifest.Parity.MaxAbsoluteDifference);
        }

        Assert.StartsWith("GPTQ, calibrated on 256 pairs", _exported.Manifests.Single(m => m.Variant == "int8").Quantization, StringComparison.Ordinal);
        Assert.All(_exported.Manifests.Where(m => m.Variant != "int8"), m => Assert.Null(m.Quantization));
        Assert.True(File.Exists(Path.Combine(_exported.Directory, "vocab.txt")));
        Assert.True(File.Exists(Path.Combine(_exported.Directory, "model.int8.json")));
    }

    [Theory]
    [InlineData("portable", 1, false)]
    [InlineData("portable", 16, true)]
    [InlineData("fused", 1, true)]
    [InlineData("fused", 16, false)]
    [InlineData("int8", 1, false)]
    [InlineData("int8", 16, true)]
    public void DynamicBatchAndSequenceSizesMatchTorchSharp(string variant, int batchSize, bool long128)
    {
        var loaded = HuggingFaceDirectory.Load(Fixture("tiny-bert"), headMayBeMissing: false);
        using var model = loaded.Model;
        model.eval();
        var tokenizer = new BertWordPieceTokenizer(loaded.Vocabulary, new BertTokenizerOptions { MaxLength = 128 });
        string text = long128 ? string.Join(' ', Enumerable.Repeat("the quick brown fox jumps over the lazy dog", 30)) : "a short one";
        var pairs = Enumerable.Range(0, batchSize).Select(i => tokenizer.Encode($"{text} {i}", i % 2 == 0 ? "another sentence" : text)).ToList();
        using var classifier = ParaphraseClassifier.Open(_exported.Directory, options: new InferenceOptions { Variant = variant, ExecutionProvider = "cpu" });

        var predictions = classifier.Run(pairs);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = BatchTensors.From(new PaddingCollator(tokenizer.PaddingId).Collate(pairs, null, [.. Enumerable.Range(0, batchSize)]), CPU);
        var expected = model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask).data<float>().ToArray();
        Assert.Equal(long128 ? 128 : pairs.Max(p => p.Length), (int)batch.InputIds.shape[1]);
        var actual = predictions.SelectMany(p => p.Logits).ToArray();
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        double tolerance = variant == "int8" ? 1e-3 : 1e-4; // int8: the tiny fixture moves little; MiniLM figures are in benchmarks/README.md
        Assert.True(worst <= tolerance, $"{variant}: max |difference| {worst:E2}");
    }

    [Fact]
    public void AnotherVocabularyThanTheExportsIsRefused()
    {
        string vocabulary = Path.Combine(_exported.Directory, "..", $"other-vocab-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(vocabulary, File.ReadAllLines(Fixture("tiny-bert", "vocab.txt")).Reverse());
        try
        {
            var error = Assert.Throws<InferenceException>(() => ParaphraseClassifier.Open(Path.Combine(_exported.Directory, "model.fused.onnx"), vocabulary));

            Assert.Contains("not the vocabulary model.fused.onnx was trained with", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(vocabulary);
        }
    }

    [Fact]
    public void VerificationRulesFollowTheVariant()
    {
        Assert.Null(new ExportVerification(10, 5e-5, 1, null, null).Failure(OnnxVariant.Portable));
        Assert.Contains("allowed 1e-4", new ExportVerification(10, 2e-4, 1, null, null).Failure(OnnxVariant.Fused), StringComparison.Ordinal);
        Assert.Null(new ExportVerification(408, 0.3, 0.995, 0.82, 0.816).Failure(OnnxVariant.Int8));
        Assert.Contains("required 99%", new ExportVerification(408, 0.3, 0.98, 0.82, 0.82).Failure(OnnxVariant.Int8), StringComparison.Ordinal);
        Assert.Contains("allowed 0.5 points", new ExportVerification(408, 0.3, 0.995, 0.82, 0.81).Failure(OnnxVariant.Int8), StringComparison.Ordinal);
    }
}
