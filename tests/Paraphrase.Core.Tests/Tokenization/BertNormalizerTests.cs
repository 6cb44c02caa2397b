using System.Globalization;
using System.Text;
using Paraphrase.Core.Tokenization;

namespace Paraphrase.Core.Tests.Tokenization;

public sealed class BertNormalizerTests
{
    private static readonly BertNormalizer Uncased = new();

    [Theory]
    [InlineData("Héllo\tWORLD\r\n", "hello world  ")]
    [InlineData("a\u0000b\u0007c\u200Bd\uFFFDe", "abcde")]
    [InlineData("x\u00A0y\u3000z", "x y z")]
    [InlineData("東京", " 東  京 ")]
    [InlineData("İstanbul", "istanbul")]
    [InlineData("한", "\u1112\u1161\u11AB")]
    [InlineData("ﬁ Ｆ", "ﬁ ｆ")]
    public void NormalizesLikeHuggingFace(string input, string expected) => Assert.Equal(expected, Uncased.Normalize(input));

    [Fact]
    public void WithoutAccentStrippingTheDottedCapitalILowercasesToTwoCharacters() =>
        Assert.Equal("i\u0307", new BertNormalizer(lowercase: true, stripAccents: false).Normalize("İ"));

    [Fact]
    public void CasedNormalizationOnlyCleans() =>
        Assert.Equal("Café 東 ", new BertNormalizer(lowercase: false, handleChineseChars: true).Normalize("Café\t東").Replace("  ", " ", StringComparison.Ordinal));

    [Fact]
    public void PreTokenizerSplitsPunctuationIncludingAsciiSymbols()
    {
        var words = new List<(int Offset, int Length)>();
        const string text = "a$b +c 𐄀d";

        BertPreTokenizer.Split(text, words);

        Assert.Equal(["a", "$", "b", "+", "c", "𐄀", "d"], words.Select(w => text.Substring(w.Offset, w.Length)));
    }

    [Fact]
    public void BuiltInDecompositionTableMatchesIcuForEveryCodePoint()
    {
        Span<int> parts = stackalloc int[4];
        var mismatches = new List<string>();
        for (int codePoint = 0; codePoint <= 0x10FFFF; codePoint++)
        {
            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            string text = char.ConvertFromUtf32(codePoint);
            string expected;
            try
            {
                expected = text.Normalize(NormalizationForm.FormD);
            }
            catch (ArgumentException)
            {
                continue; // unassigned: ICU refuses it, and it has no decomposition
            }

            int count = CanonicalDecomposition.Decompose(codePoint, parts);
            var actual = new StringBuilder();
            foreach (int part in parts[..count])
            {
                actual.Append(char.ConvertFromUtf32(part));
            }

            if (actual.ToString() != expected)
            {
                mismatches.Add(codePoint.ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        Assert.True(mismatches.Count == 0, "Regenerate the table (eng/generate-unicode-table.sh); differs at " + string.Join(", ", mismatches.Take(20)));
    }
}
