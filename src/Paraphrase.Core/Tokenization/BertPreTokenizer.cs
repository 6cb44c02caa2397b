using System.Text;
using MlPreTokenizer = Microsoft.ML.Tokenizers.PreTokenizer;

namespace Paraphrase.Core.Tokenization;

/// <summary>
/// Hugging Face's <c>BertPreTokenizer</c>: split on whitespace (dropped) and on punctuation
/// (each punctuation character becomes a word of its own). Input is normalized text.
/// </summary>
public sealed class BertPreTokenizer : MlPreTokenizer
{
    public static BertPreTokenizer Instance { get; } = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text)
    {
        var words = new List<(int Offset, int Length)>();
        Split(text, words);
        return words;
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var words = new List<(int Offset, int Length)>();
        Split(text, words);
        return words;
    }

    /// <summary>Appends the (offset, length) of every word of <paramref name="text"/> to <paramref name="words"/>.</summary>
    public static void Split(ReadOnlySpan<char> text, List<(int Offset, int Length)> words)
    {
        int start = -1;
        int index = 0;
        while (index < text.Length)
        {
            char c = text[index];
            Rune rune;
            int width = 1;
            if (c < 128)
            {
                rune = new Rune(c);
            }
            else
            {
                Rune.DecodeFromUtf16(text[index..], out rune, out width);
            }

            if (UnicodeClasses.IsWhitespace(rune))
            {
                Flush(words, ref start, index);
            }
            else if (UnicodeClasses.IsPunctuation(rune))
            {
                Flush(words, ref start, index);
                words.Add((index, width));
            }
            else if (start < 0)
            {
                start = index;
            }

            index += width;
        }

        Flush(words, ref start, text.Length);
    }

    private static void Flush(List<(int Offset, int Length)> words, ref int start, int end)
    {
        if (start >= 0)
        {
            words.Add((start, end - start));
            start = -1;
        }
    }
}
