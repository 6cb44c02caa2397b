using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Tokenization;
using HfRustTokenizer = Tokenizers.DotNet.Tokenizer;

namespace Paraphrase.Benchmarks;

/// <summary>
/// Tokenizes MRPC train (3,668 pairs) on one core with three tokenizers, in one process, and counts how
/// many pairs each gets exactly right against Hugging Face's reference ids.
/// </summary>
internal static class TokenizerBenchmark
{
    public static int Run(string root, int rounds)
    {
        PinToOneCore();
        var pairs = DatasetReader.Read(Path.Combine(root, "data", "mrpc", "train.tsv")).Pairs;
        var reference = File.ReadLines(Path.Combine(root, "tests", "Paraphrase.Core.Tests", "Fixtures", "tokenizer", "train.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray())
            .ToArray();
        string vocabPath = Path.Combine(root, "data", "vocab", "bert-base-uncased-vocab.txt");

        var ours = new BertWordPieceTokenizer(WordPieceVocabulary.Load(vocabPath));
        var microsoft = BertTokenizer.Create(vocabPath, new BertOptions { LowerCaseBeforeTokenization = true });
        string tokenizerJson = Path.Combine(Path.GetTempPath(), $"bert-base-uncased-{Environment.ProcessId}.tokenizer.json");
        File.WriteAllText(tokenizerJson, HuggingFaceTokenizerJson.ForBertWordPiece(WordPieceVocabulary.Load(vocabPath)));
        using var rust = new HfRustTokenizer(tokenizerJson);
        File.Delete(tokenizerJson);
        uint cls = (uint)ours.ClassifierId, sep = (uint)ours.SeparatorId;

        var candidates = new (string Name, Func<SentencePair, int[]> Encode)[]
        {
            ("Paraphrase.Core BertWordPieceTokenizer (HF-exact)", p => ours.Encode(p.Sentence1, p.Sentence2).InputIds),
            ("Microsoft.ML.Tokenizers 2.0.1 BertTokenizer", p => [.. microsoft.BuildInputsWithSpecialTokens(
                microsoft.EncodeToIds(p.Sentence1, addSpecialTokens: false), microsoft.EncodeToIds(p.Sentence2, addSpecialTokens: false))]),
            ("Hugging Face tokenizers (Rust) via Tokenizers.DotNet 1.4.1", p => [.. new[] { cls }.Concat(rust.Encode(p.Sentence1)).Append(sep)
                .Concat(rust.Encode(p.Sentence2)).Append(sep).Select(id => (int)id)]),
        };

        Console.WriteLine($"MRPC train: {pairs.Count:N0} pairs, {rounds} timed passes each after one warm-up pass, one core, .NET {Environment.Version}");
        Console.WriteLine($"{"tokenizer",-62} {"exact pairs",12} {"median pairs/s",15} {"best pairs/s",13}");
        foreach (var (name, encode) in candidates)
        {
            int exact = pairs.Select((p, i) => encode(p).AsSpan().SequenceEqual(reference[i]) ? 1 : 0).Sum();
            var rates = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                foreach (var pair in pairs)
                {
                    encode(pair);
                }

                rates.Add(pairs.Count / clock.Elapsed.TotalSeconds);
            }

            rates.Sort();
            Console.WriteLine($"{name,-62} {exact,6:N0}/{pairs.Count:N0} {rates[rates.Count / 2],15:N0} {rates[^1],13:N0}");
        }

        return 0;
    }

    private static void PinToOneCore()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            Process.GetCurrentProcess().ProcessorAffinity = 1;
        }
    }
}
