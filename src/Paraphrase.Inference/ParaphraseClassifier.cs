using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Tokenization;

namespace Paraphrase.Inference;

/// <summary>
/// Classifies sentence pairs with an ONNX BERT classifier: the training tokenizer, one shared (thread-safe)
/// <see cref="InferenceSession"/>, softmax over the logits. Serves this project's exports and third-party
/// exports that use Hugging Face's input names (input_ids, attention_mask, token_type_ids).
/// </summary>
public sealed class ParaphraseClassifier : IDisposable
{
    private readonly InferenceSession _session;
    private readonly BertWordPieceTokenizer _tokenizer;
    private readonly PaddingCollator _collator;
    private readonly string _output;
    private readonly bool _takesTokenTypes;

    private ParaphraseClassifier(InferenceSession session, BertWordPieceTokenizer tokenizer, string modelPath, string executionProvider, string output, bool takesTokenTypes)
    {
        _session = session;
        _tokenizer = tokenizer;
        _collator = new PaddingCollator(tokenizer.PaddingId);
        _output = output;
        _takesTokenTypes = takesTokenTypes;
        ModelPath = modelPath;
        ExecutionProvider = executionProvider;
    }

    /// <summary>The .onnx file being served.</summary>
    public string ModelPath { get; }

    /// <summary>"CUDA" or "CPU": where the model runs.</summary>
    public string ExecutionProvider { get; }

    public BertWordPieceTokenizer Tokenizer => _tokenizer;

    /// <summary>
    /// Opens a model: an export directory (picks a variant; vocab.txt and config.json are read from it) or an
    /// .onnx file (its vocabulary from <paramref name="vocabularyPath"/> or a vocab.txt beside it).
    /// </summary>
    public static ParaphraseClassifier Open(string modelPath, string? vocabularyPath = null, InferenceOptions? options = null, Action<string>? log = null)
    {
        options ??= new InferenceOptions();
        string onnx = ResolveModelFile(modelPath, options.Variant);
        string directory = Path.GetDirectoryName(Path.GetFullPath(onnx))!;
        vocabularyPath ??= Path.Combine(directory, "vocab.txt");
        if (!File.Exists(vocabularyPath))
        {
            throw new InferenceException($"{onnx}: no vocabulary; put the model's vocab.txt beside it or pass --vocab.");
        }

        var vocabulary = WordPieceVocabulary.Load(vocabularyPath);
        CheckManifest(onnx, vocabulary);
        int maxLength = options.MaxLength ?? MaxPositions(directory) ?? 512;
        var tokenizer = new BertWordPieceTokenizer(vocabulary, new BertTokenizerOptions { MaxLength = maxLength });

        var (session, provider) = CreateSession(onnx, options, log);
        try
        {
            var (output, takesTokenTypes) = CheckInterface(session, onnx);
            var classifier = new ParaphraseClassifier(session, tokenizer, onnx, provider, output, takesTokenTypes);
            classifier.ProbeVocabulary(vocabulary, vocabularyPath);
            return classifier;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public Prediction Predict(string sentence1, string sentence2) => PredictBatch([(sentence1, sentence2)])[0];

    /// <summary>Predictions in input order; one ONNX Runtime call for the whole batch.</summary>
    public IReadOnlyList<Prediction> PredictBatch(IReadOnlyList<(string Sentence1, string Sentence2)> pairs)
    {
        if (pairs.Count == 0)
        {
            return [];
        }

        var encoded = pairs.Select(p => _tokenizer.Encode(p.Sentence1, p.Sentence2)).ToList();
        return Run(encoded);
    }

    /// <summary>Runs already-tokenized pairs (as the trainer and the benchmarks produce them).</summary>
    public IReadOnlyList<Prediction> Run(IReadOnlyList<EncodedPair> encoded)
    {
        var batch = _collator.Collate(encoded, null, [.. Enumerable.Range(0, encoded.Count)]);
        using var results = _session.Run(OnnxInputs.From(batch, _takesTokenTypes), [_output]);
        var logits = results[0].AsTensor<float>();
        int labels = (int)(logits.Length / batch.BatchSize);
        var predictions = new Prediction[batch.BatchSize];
        for (int row = 0; row < batch.BatchSize; row++)
        {
            var values = new float[labels];
            for (int j = 0; j < labels; j++)
            {
                values[j] = logits.GetValue(row * labels + j);
            }

            predictions[row] = new Prediction(Array.IndexOf(values, values.Max()), Softmax(values)[Math.Min(1, labels - 1)], values, encoded[row].Truncated);
        }

        return predictions;
    }

    public void Dispose() => _session.Dispose();

    private static double[] Softmax(float[] logits)
    {
        double max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        double sum = exp.Sum();
        return [.. exp.Select(e => e / sum)];
    }

    private static string ResolveModelFile(string path, string? variant)
    {
        if (File.Exists(path))
        {
            return path;
        }

        if (!Directory.Exists(path))
        {
            throw new InferenceException($"{path}: no such model file or directory.");
        }

        if (ExportFiles.FindModel(path, variant) is { } exported)
        {
            return exported;
        }

        var any = Directory.GetFiles(path, "*.onnx");
        return variant is null && any.Length == 1
            ? any[0]
            : throw new InferenceException($"{path}: no {(variant is null ? "" : $"model.{variant}.onnx or other ")}ONNX model here; export one with 'paraphrase export'.");
    }

    /// <summary>This project's exports record the vocabulary they were trained with; a different one is refused.</summary>
    private static void CheckManifest(string onnx, WordPieceVocabulary vocabulary)
    {
        string manifest = ExportFiles.ManifestBeside(onnx);
        if (!File.Exists(manifest))
        {
            return;
        }

        string? expected;
        try
        {
            expected = ExportManifest.Load(manifest).VocabularySha256;
        }
        catch (InvalidDataException e)
        {
            throw new InferenceException($"{e.Message}; re-export the model or remove the file.");
        }

        if (expected is not null && expected != vocabulary.Sha256)
        {
            throw new InferenceException($"{vocabulary.Source}: not the vocabulary {Path.GetFileName(onnx)} was trained with (sha256 {vocabulary.Sha256[..12]}… vs {expected[..12]}…).");
        }
    }

    private static int? MaxPositions(string directory)
    {
        string config = Path.Combine(directory, "config.json");
        try
        {
            return File.Exists(config) ? JsonNode.Parse(File.ReadAllText(config))?["max_position_embeddings"]?.GetValue<int>() is int n ? Math.Min(512, n) : null : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (InferenceSession Session, string Provider) CreateSession(string onnx, InferenceOptions options, Action<string>? log)
    {
        string wanted = options.ExecutionProvider.ToLowerInvariant();
        if (wanted is not ("auto" or "cpu" or "cuda"))
        {
            throw new InferenceException($"Unknown execution provider '{options.ExecutionProvider}'; use auto, cpu or cuda.");
        }

        if (wanted != "cpu")
        {
            try
            {
                var cudaOptions = NewOptions(options);
                cudaOptions.AppendExecutionProvider_CUDA(0);
                var session = Load(onnx, cudaOptions);
                log?.Invoke("ONNX Runtime: CUDA execution provider.");
                return (session, "CUDA");
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException && wanted == "auto")
            {
                log?.Invoke($"ONNX Runtime: CUDA not available ({FirstLine(e.Message)}); using the CPU.");
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                throw new InferenceException($"The CUDA execution provider was asked for but cannot be used: {FirstLine(e.Message)}. Build with -p:OnnxRuntimeBackend=gpu on a machine with CUDA, or use cpu.");
            }
        }

        var cpuOptions = NewOptions(options);

        // ONNX Runtime 1.31's CPU SkipLayerNormalization kernel takes about three times as long as the Add and
        // LayerNormalization it would replace (profiled on MiniLM, batch 32), so CPU sessions leave the pair alone.
        cpuOptions.AddSessionConfigEntry("optimization.disable_specified_optimizers", "SkipLayerNormFusion");
        var cpu = Load(onnx, cpuOptions);
        log?.Invoke("ONNX Runtime: CPU execution provider.");
        return (cpu, "CPU");
    }

    private static SessionOptions NewOptions(InferenceOptions options) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        IntraOpNumThreads = options.IntraOpThreads,
    };

    private static InferenceSession Load(string onnx, SessionOptions options)
    {
        try
        {
            return new InferenceSession(onnx, options);
        }
        catch (OnnxRuntimeException e) when (!e.Message.Contains("CUDA", StringComparison.OrdinalIgnoreCase))
        {
            throw new InferenceException($"{onnx}: ONNX Runtime cannot load it; the file is corrupt or not an ONNX model ({FirstLine(e.Message)}).");
        }
    }

    private static (string Output, bool TakesTokenTypes) CheckInterface(InferenceSession session, string onnx)
    {
        var inputs = session.InputMetadata;
        foreach (var required in new[] { "input_ids", "attention_mask" })
        {
            if (!inputs.TryGetValue(required, out var input) || input.ElementType != typeof(long))
            {
                throw new InferenceException(
                    $"{onnx}: not a BERT classifier; it needs int64 inputs input_ids and attention_mask (found: {string.Join(", ", inputs.Keys)}).");
            }
        }

        var unknown = inputs.Keys.Except(["input_ids", "attention_mask", "token_type_ids"]).ToList();
        if (unknown.Count > 0)
        {
            throw new InferenceException($"{onnx}: unexpected inputs {string.Join(", ", unknown)}; a BERT classifier takes input_ids, attention_mask and token_type_ids.");
        }

        string output = session.OutputMetadata.ContainsKey("logits") ? "logits" : session.OutputMetadata.Keys.First();
        if (session.OutputMetadata[output].Dimensions.Length != 2)
        {
            throw new InferenceException($"{onnx}: the output '{output}' is not [batch, labels]; is this a classifier rather than an encoder?");
        }

        return (output, inputs.ContainsKey("token_type_ids"));
    }

    /// <summary>One tiny run with the vocabulary's largest id: an embedding smaller than the vocabulary fails here, not in production.</summary>
    private void ProbeVocabulary(WordPieceVocabulary vocabulary, string vocabularyPath)
    {
        try
        {
            Run([new EncodedPair([_tokenizer.ClassifierId, vocabulary.Count - 1, _tokenizer.SeparatorId], [0, 0, 0], false)]);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException($"{vocabularyPath}: {vocabulary.Count:N0} tokens, more than {Path.GetFileName(ModelPath)} has embeddings for; this vocabulary does not belong to the model ({FirstLine(e.Message)}).");
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
