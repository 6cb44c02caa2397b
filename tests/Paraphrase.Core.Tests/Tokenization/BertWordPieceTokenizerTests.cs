using System.Text;
using Paraphrase.Core.Tokenization;

namespace Paraphrase.Core.Tests.Tokenization;

public sealed class BertWordPieceTokenizerTests
{
    private static readonly BertWordPieceTokenizer Uncased = new(WordPieceVocabulary.BertBaseUncased);

    [Fact]
    public void PairLayoutIsClsFirstSepSecondSep()
    {
        var encoded = Uncased.Encode("Hello world", "Goodbye");

        Assert.Equal(["[CLS]", "hello", "world", "[SEP]", "goodbye", "[SEP]"], encoded.InputIds.Select(Uncased.Vocabulary.GetToken));
        Assert.Equal([0, 0, 0, 0, 1, 1], encoded.TokenTypeIds);
        Assert.False(encoded.Truncated);
    }

    [Fact]
    public void SpecialTokensWrittenInTheTextStayWhole()
    {
        Assert.Equal(["a", "[SEP]", "b", "[", "sep", "]"], Uncased.Tokenize("a [SEP] b [sep]"));
        Assert.Equal(["[MASK]", "x", "[UNK]"], Uncased.Tokenize("[MASK]x[UNK]"));
    }

    [Fact]
    public void CasedModelsKeepCaseAndAccents()
    {
        var cased = new BertWordPieceTokenizer(WordPieceVocabulary.BertBaseUncased, new BertTokenizerOptions { Lowercase = false });

        // The uncased vocabulary has no "Hello", so the cased pieces differ from the uncased ones.
        Assert.NotEqual(Uncased.Tokenize("Hello Café"), cased.Tokenize("Hello Café"));
        Assert.Equal(["cafe"], Uncased.Tokenize("Café"));
    }

    [Fact]
    public void OnlySecondTruncatesTheSecondSentenceOrFailsClearly()
    {
        var tokenizer = new BertWordPieceTokenizer(WordPieceVocabulary.BertBaseUncased,
            new BertTokenizerOptions { MaxLength = 8, Truncation = TruncationStrategy.OnlySecond });

        var encoded = tokenizer.Encode("one two", "three four five six seven");
        var error = Assert.Throws<TokenizationException>(() => tokenizer.Encode("one two three four five six", "seven"));

        Assert.Equal(["[CLS]", "one", "two", "[SEP]", "three", "four", "five", "[SEP]"], encoded.InputIds.Select(tokenizer.Vocabulary.GetToken));
        Assert.True(encoded.Truncated);
        Assert.Contains("only_second", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8, 20, 7, 3, 4)]   // both longer than the budget: halves, the odd token to the second
    [InlineData(20, 8, 7, 3, 4)]
    [InlineData(2, 20, 7, 2, 5)]   // the short one is kept whole
    [InlineData(20, 2, 7, 5, 2)]
    [InlineData(4, 4, 7, 3, 4)]    // both fit alone but not together
    [InlineData(8, 4, 7, 4, 3)]
    [InlineData(3, 3, 7, 3, 3)]    // nothing to do
    public void LongestFirstSplitsTheBudgetLikeTokenizers(int first, int second, int budget, int expectedFirst, int expectedSecond)
    {
        var a = Enumerable.Range(0, first).ToList();
        var b = Enumerable.Range(0, second).ToList();

        bool truncated = PairTruncation.Apply(a, b, budget, TruncationStrategy.LongestFirst);

        Assert.Equal((expectedFirst, expectedSecond), (a.Count, b.Count));
        Assert.Equal(first + second > budget, truncated);
    }

    [Fact]
    public void SingleSentencesTruncateToTheBudget()
    {
        var tokenizer = new BertWordPieceTokenizer(WordPieceVocabulary.BertBaseUncased, new BertTokenizerOptions { MaxLength = 4 });

        var encoded = tokenizer.Encode("one two three four");

        Assert.Equal(["[CLS]", "one", "two", "[SEP]"], encoded.InputIds.Select(tokenizer.Vocabulary.GetToken));
    }

    [Fact]
    public void WordsLongerThanTheLimitCountCharactersNotUtf16Units()
    {
        var vocabulary = WordPieceVocabulary.Load(new MemoryStream(Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\n😀\n##😀\n")), "emoji vocab");
        var tokenizer = new BertWordPieceTokenizer(vocabulary, new BertTokenizerOptions { MaxInputCharsPerWord = 3 });

        Assert.Equal(["😀", "##😀", "##😀"], tokenizer.Tokenize("😀😀😀"));
        Assert.Equal(["[UNK]"], tokenizer.Tokenize("😀😀😀😀"));
    }

    [Fact]
    public void VocabularyReadsCrlfAndHashesLikeLf()
    {
        var tokens = "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n";
        var lf = WordPieceVocabulary.Load(new MemoryStream(Encoding.UTF8.GetBytes(tokens)), "lf");
        var crlf = WordPieceVocabulary.Load(new MemoryStream(Encoding.UTF8.GetBytes(tokens.Replace("\n", "\r\n", StringComparison.Ordinal))), "crlf");

        Assert.Equal(lf.Tokens, crlf.Tokens);
        Assert.Equal(lf.Sha256, crlf.Sha256);
        Assert.Equal(["[CLS]", "hello", "[SEP]"], new BertWordPieceTokenizer(crlf).Encode("Hello").InputIds.Select(crlf.GetToken));
    }

    [Fact]
    public void BuiltInVocabularyIsBertBaseUncased()
    {
        Assert.Equal(30522, WordPieceVocabulary.BertBaseUncased.Count);
        Assert.StartsWith("07eced37", WordPieceVocabulary.BertBaseUncased.Sha256, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "the vocabulary is empty")]
    [InlineData("[PAD]\n[CLS]\n[SEP]\nhello\n", "has no '[UNK]' token")]
    [InlineData("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\nhello\n", "line 6 repeats the token 'hello' of line 5")]
    public void BadVocabulariesAreClearErrors(string content, string expected)
    {
        var error = Assert.Throws<TokenizationException>(() =>
            new BertWordPieceTokenizer(WordPieceVocabulary.Load(new MemoryStream(Encoding.UTF8.GetBytes(content)), "my-vocab.txt")));

        Assert.Contains("my-vocab.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
