using Paraphrase.Core.IO;
using Paraphrase.Core.Tokenization;
using Paraphrase.Training.Modeling;

namespace Paraphrase.Training.Checkpoints;

/// <summary>
/// A Hugging Face model directory: <c>config.json</c>, <c>model.safetensors</c> (or <c>pytorch_model.bin</c>)
/// and <c>vocab.txt</c>. Loading checks that the three agree; saving publishes the directory atomically.
/// </summary>
public static class HuggingFaceDirectory
{
    public const string ConfigName = "config.json";
    public const string VocabularyName = "vocab.txt";

    /// <summary>Whether <paramref name="directory"/> looks like a model directory (has a config.json).</summary>
    public static bool IsModelDirectory(string directory) => File.Exists(Path.Combine(directory, ConfigName));

    /// <summary>
    /// Loads a classifier. With <paramref name="headMayBeMissing"/> (a base model to fine-tune), a missing
    /// classifier or pooler is initialised fresh; any other missing weight is an error.
    /// </summary>
    public static LoadedModel Load(string directory, bool headMayBeMissing, Action<string>? log = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new ModelFormatException($"{directory}: no such model directory.");
        }

        string configPath = Path.Combine(directory, ConfigName);
        if (!File.Exists(configPath))
        {
            throw new ModelFormatException($"{directory}: no {ConfigName}; is this a Hugging Face model directory?");
        }

        var config = BertConfig.Load(configPath);
        var vocabulary = LoadVocabulary(directory, config);
        var weights = StateDictFiles.ReadDirectory(directory);
        var model = new BertForSequenceClassification(config);
        try
        {
            var report = WeightLoader.Load(model, weights, directory);
            CheckReport(report, directory, headMayBeMissing, log);
            return new LoadedModel(model, vocabulary, report);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (var tensor in weights.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <param name="leaveOut">Weights not to write, e.g. a classifier head that was only randomly initialised, so that
    /// whoever fine-tunes the model initialises it from their own seed.</param>
    public static void Save(BertForSequenceClassification model, WordPieceVocabulary vocabulary, string directory, IReadOnlyCollection<string>? leaveOut = null) =>
        AtomicDirectory.Write(directory, staging => WriteFiles(model, vocabulary, staging, leaveOut));

    /// <summary>Writes the three files into an existing directory (callers that publish a larger directory atomically).</summary>
    public static void WriteFiles(BertForSequenceClassification model, WordPieceVocabulary vocabulary, string directory, IReadOnlyCollection<string>? leaveOut = null)
    {
        model.Config.Save(Path.Combine(directory, ConfigName));
        var weights = model.state_dict();
        foreach (var name in leaveOut ?? [])
        {
            weights.Remove(name);
        }

        StateDictFiles.WriteSafetensors(Path.Combine(directory, StateDictFiles.SafetensorsName), weights);
        File.WriteAllText(Path.Combine(directory, VocabularyName), string.Join('\n', vocabulary.Tokens) + "\n");
    }

    private static WordPieceVocabulary LoadVocabulary(string directory, BertConfig config)
    {
        string path = Path.Combine(directory, VocabularyName);
        if (!File.Exists(path))
        {
            throw new ModelFormatException($"{directory}: no {VocabularyName}; copy the vocabulary the model was trained with into the directory.");
        }

        var vocabulary = WordPieceVocabulary.Load(path);
        if (vocabulary.Count > config.VocabSize)
        {
            throw new ModelFormatException(
                $"{directory}: {VocabularyName} has {vocabulary.Count:N0} tokens but config.json's vocab_size is {config.VocabSize:N0}; " +
                "the vocabulary does not belong to this model.");
        }

        return vocabulary;
    }

    private static void CheckReport(WeightLoadReport report, string directory, bool headMayBeMissing, Action<string>? log)
    {
        if (report.Ignored.Count > 0)
        {
            log?.Invoke($"Ignored {report.Ignored.Count} tensors not used for classification ({string.Join(", ", report.Ignored.Take(3))}{(report.Ignored.Count > 3 ? ", …" : "")}).");
        }

        if (report.Unexpected.Count > 0)
        {
            throw new ModelFormatException(
                $"{directory}: {report.Unexpected.Count} weights do not belong to a BERT classifier ({string.Join(", ", report.Unexpected.Take(5))}); is this a BERT checkpoint?");
        }

        static bool IsHead(string key) => key.StartsWith("classifier.", StringComparison.Ordinal) || key.StartsWith("bert.pooler.", StringComparison.Ordinal);
        var missingBody = report.Missing.Where(k => !headMayBeMissing || !IsHead(k)).ToList();
        if (missingBody.Count > 0)
        {
            throw new ModelFormatException(
                $"{directory}: {missingBody.Count} weights are missing ({string.Join(", ", missingBody.Take(5))}); the checkpoint is incomplete or not a BERT model.");
        }

        if (report.Missing.Count > 0)
        {
            log?.Invoke($"Initialised {report.Missing.Count} new weights: {string.Join(", ", report.Missing)}.");
        }
    }
}

/// <summary>A model with its vocabulary and what loading its weights did.</summary>
public sealed record LoadedModel(BertForSequenceClassification Model, WordPieceVocabulary Vocabulary, WeightLoadReport Report);
