using System.Text.Json;
using Paraphrase.Core.Tokenization;

namespace Paraphrase.Benchmarks;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> equivalent to <c>BertWordPieceTokenizer(vocab, lowercase=True)</c>
/// without its post-processor (the benchmark adds [CLS]/[SEP] itself, since the binding encodes one text at a time).
/// </summary>
internal static class HuggingFaceTokenizerJson
{
    public static string ForBertWordPiece(WordPieceVocabulary vocabulary)
    {
        string[] specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
        var document = new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = specials.Where(vocabulary.Contains).Select(t => new Dictionary<string, object>
            {
                ["id"] = vocabulary.GetRequiredId(t), ["content"] = t, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            }).ToList(),
            ["normalizer"] = new Dictionary<string, object?>
            {
                ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = true, ["strip_accents"] = null, ["lowercase"] = true,
            },
            ["pre_tokenizer"] = new Dictionary<string, object> { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = null,
            ["decoder"] = new Dictionary<string, object> { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new Dictionary<string, object>
            {
                ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100,
                ["vocab"] = vocabulary.Tokens.Select((token, id) => (token, id)).ToDictionary(e => e.token, e => e.id),
            },
        };
        return JsonSerializer.Serialize(document);
    }
}
