using System.Globalization;
using System.Text;

namespace Paraphrase.Core.Tokenization;

/// <summary>
/// The character classes of Hugging Face's BERT normalizer and pre-tokenizer (tokenizers, Rust),
/// expressed over <see cref="Rune"/> so that characters outside the BMP are classified as one character.
/// </summary>
internal static class UnicodeClasses
{
    /// <summary>White_Space, plus tab, newline and carriage return.</summary>
    public static bool IsWhitespace(Rune rune) => rune.Value is '\t' or '\n' or '\r' || Rune.IsWhiteSpace(rune);

    /// <summary>
    /// Hugging Face drops "other" characters (Cc, Cf, Cn, Co, Cs) when cleaning text, except the three
    /// whitespace controls, which become spaces instead.
    /// </summary>
    public static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
    }

    /// <summary>
    /// ASCII punctuation (which includes symbols such as <c>$ + &lt; = &gt; ^ ` | ~</c>) or any Unicode P* category.
    /// </summary>
    public static bool IsPunctuation(Rune rune)
    {
        int c = rune.Value;
        if (c < 128)
        {
            return c is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126);
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK ideograph blocks that BERT splits into single characters (tokenizers' ranges, not Python's).</summary>
    public static bool IsChineseCharacter(int c) =>
        c is (>= 0x4E00 and <= 0x9FFF)
            or (>= 0x3400 and <= 0x4DBF)
            or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F)
            or (>= 0x2B740 and <= 0x2B81F)
            or (>= 0x2B920 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF)
            or (>= 0x2F800 and <= 0x2FA1F);

    public static bool IsNonSpacingMark(int c) => Rune.GetUnicodeCategory(new Rune(c)) == UnicodeCategory.NonSpacingMark;
}
