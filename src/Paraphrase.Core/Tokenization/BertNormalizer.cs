using System.Text;
using MlNormalizer = Microsoft.ML.Tokenizers.Normalizer;

namespace Paraphrase.Core.Tokenization;

/// <summary>
/// Hugging Face's <c>BertNormalizer</c>, character for character: clean text (drop controls, map
/// whitespace to spaces), surround CJK ideographs with spaces, strip accents (NFD, then drop non-spacing
/// marks), lower-case. Works identically with and without ICU.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' BERT normalization differs from Hugging Face's (it deletes symbols and
/// tab/newline, and its accent stripping depends on ICU), so this one replaces it.
/// </remarks>
public sealed class BertNormalizer : MlNormalizer
{
    private readonly bool _cleanText;
    private readonly bool _handleChineseChars;
    private readonly bool _stripAccents;
    private readonly bool _lowercase;

    /// <param name="lowercase">Lower-case the text (uncased models).</param>
    /// <param name="stripAccents">Strip accents; <c>null</c> follows <paramref name="lowercase"/> as Hugging Face does.</param>
    /// <param name="cleanText">Remove control characters and turn every kind of whitespace into a space.</param>
    /// <param name="handleChineseChars">Put spaces around CJK ideographs so each becomes a word.</param>
    public BertNormalizer(bool lowercase = true, bool? stripAccents = null, bool cleanText = true, bool handleChineseChars = true)
    {
        _lowercase = lowercase;
        _stripAccents = stripAccents ?? lowercase;
        _cleanText = cleanText;
        _handleChineseChars = handleChineseChars;
    }

    public override string Normalize(string original) => Normalize(original.AsSpan());

    public override string Normalize(ReadOnlySpan<char> original)
    {
        if (IsPlainAscii(original))
        {
            return NormalizeAscii(original);
        }

        var builder = new StringBuilder(original.Length + 8);
        Span<int> parts = stackalloc int[4];
        int index = 0;
        while (index < original.Length)
        {
            // A lone surrogate decodes as U+FFFD, which clean-text removes like Hugging Face would.
            Rune.DecodeFromUtf16(original[index..], out var rune, out int consumed);
            index += consumed;
            if (_cleanText)
            {
                if (rune.Value is 0 or 0xFFFD || UnicodeClasses.IsControl(rune))
                {
                    continue;
                }

                if (UnicodeClasses.IsWhitespace(rune))
                {
                    builder.Append(' ');
                    continue;
                }
            }

            bool isolate = _handleChineseChars && UnicodeClasses.IsChineseCharacter(rune.Value);
            if (isolate)
            {
                builder.Append(' ');
            }

            if (_stripAccents)
            {
                int count = CanonicalDecomposition.Decompose(rune.Value, parts);
                for (int i = 0; i < count; i++)
                {
                    if (!UnicodeClasses.IsNonSpacingMark(parts[i]))
                    {
                        AppendCased(builder, new Rune(parts[i]));
                    }
                }
            }
            else
            {
                AppendCased(builder, rune);
            }

            if (isolate)
            {
                builder.Append(' ');
            }
        }

        return builder.ToString();
    }

    private void AppendCased(StringBuilder builder, Rune rune)
    {
        if (!_lowercase)
        {
            builder.Append(rune.ToString());
            return;
        }

        // Unicode's only unconditional multi-character lower-case mapping, which .NET's simple
        // case mapping leaves unchanged (Rust's char::to_lowercase, used by Hugging Face, applies it).
        if (rune.Value == 0x130)
        {
            builder.Append("i\u0307");
            return;
        }

        var lower = Rune.ToLowerInvariant(rune);
        if (lower.IsBmp)
        {
            builder.Append((char)lower.Value);
        }
        else
        {
            Span<char> pair = stackalloc char[2];
            builder.Append(pair[..lower.EncodeToUtf16(pair)]);
        }
    }

    private static bool IsPlainAscii(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange((char)0, (char)127);

    private string NormalizeAscii(ReadOnlySpan<char> text)
    {
        Span<char> output = text.Length <= 1024 ? stackalloc char[text.Length] : new char[text.Length];
        int o = 0;
        foreach (char c in text)
        {
            if (_cleanText)
            {
                // Tab, newline, vertical tab, form feed and carriage return are whitespace; other C0 controls and DEL are dropped.
                if (c is >= '\t' and <= '\r' or ' ')
                {
                    output[o++] = ' ';
                    continue;
                }

                if (c < 32 || c == 127)
                {
                    continue;
                }
            }

            output[o++] = _lowercase && c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }

        return new string(output[..o]);
    }
}
