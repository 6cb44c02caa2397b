using System.Text.Json;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Tokenization;

namespace Paraphrase.Core.Tests.Tokenization;

/// <summary>Every line of Hugging Face's tokenizer fixtures must come out identical.</summary>
public sealed class HuggingFaceParityTests
{
    private static readonly BertWordPieceTokenizer Untruncated = new(WordPieceVocabulary.BertBaseUncased);

    [Theory]
    [InlineData("train")]
    [InlineData("dev")]
    public void MrpcPairsMatchHuggingFace(string split)
    {
        var dataset = DatasetReader.Read(Fixtures.Path("mrpc", $"{split}.tsv"));
        var expected = Fixtures.ReadJsonLines("tokenizer", $"{split}.jsonl").ToList();
        Assert.Equal(expected.Count, dataset.Count);

        var mismatches = new List<string>();
        for (int i = 0; i < expected.Count; i++)
        {
            var pair = dataset.Pairs[i];
            var encoded = Untruncated.Encode(pair.Sentence1, pair.Sentence2);
            var ids = expected[i].GetProperty("input_ids").Ints();
            var types = expected[i].GetProperty("token_type_ids").Ints();
            Assert.Equal(expected[i].GetProperty("label").GetInt32(), pair.Label);
            if (!ids.SequenceEqual(encoded.InputIds) || !types.SequenceEqual(encoded.TokenTypeIds))
            {
                mismatches.Add($"idx {i}: {pair.Sentence1} ||| {pair.Sentence2}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} pairs differ, e.g.\n{string.Join('\n', mismatches.Take(5))}");
    }

    public static TheoryData<int> EdgeLines() => [.. Enumerable.Range(0, Fixtures.ReadJsonLines("tokenizer", "edge.jsonl").Count())];

    [Theory]
    [MemberData(nameof(EdgeLines))]
    public void EdgeCasesMatchHuggingFace(int line)
    {
        var expected = Fixtures.ReadJsonLines("tokenizer", "edge.jsonl").ElementAt(line);
        string s1 = expected.GetProperty("s1").GetString()!;
        string? s2 = expected.GetProperty("s2").ValueKind == JsonValueKind.Null ? null : expected.GetProperty("s2").GetString();
        int? maxLength = expected.GetProperty("max_length").ValueKind == JsonValueKind.Null ? null : expected.GetProperty("max_length").GetInt32();
        var tokenizer = new BertWordPieceTokenizer(WordPieceVocabulary.BertBaseUncased, new BertTokenizerOptions { MaxLength = maxLength });

        var encoded = tokenizer.Encode(s1, s2);

        var tokens = encoded.InputIds.Select(tokenizer.Vocabulary.GetToken);
        Assert.Equal(expected.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()), tokens);
        Assert.Equal(expected.GetProperty("input_ids").Ints(), encoded.InputIds);
        Assert.Equal(expected.GetProperty("token_type_ids").Ints(), encoded.TokenTypeIds);
        Assert.Equal(maxLength is int m && Untruncated.Encode(s1, s2).Length > m, encoded.Truncated);
    }
}
