namespace Paraphrase.Core.Datasets;

/// <summary>
/// One row as a format reader found it, before validation: the three values (null when the field is
/// absent), or the structural problem that made the row unreadable.
/// </summary>
internal sealed record RawRow(int Line, string? Sentence1, string? Sentence2, string? Label, DatasetIssue? Problem = null)
{
    public static RawRow Broken(int line, DatasetIssue problem) => new(line, null, null, null, problem);
}
