namespace Paraphrase.Core.Datasets;

/// <summary>One labelled (or, for prediction, unlabelled) sentence pair and where it came from.</summary>
/// <param name="Label">1 = paraphrase, 0 = not; null when the file has no labels.</param>
/// <param name="Line">The 1-based line of the file where the row starts, for messages.</param>
public sealed record SentencePair(string Sentence1, string Sentence2, int? Label, int Line);
