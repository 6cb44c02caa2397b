namespace Paraphrase.Core.Datasets;

/// <summary>What is wrong with a dataset, and where: file, line and (when known) the field.</summary>
public sealed record DatasetIssue(string File, int? Line, string? Field, string Reason)
{
    public override string ToString()
    {
        string where = Line is int line ? $"{File}:{line}" : File;
        return Field is null ? $"{where}: {Reason}" : $"{where}: field '{Field}': {Reason}";
    }
}

/// <summary>A dataset that cannot be used as it is; the message names the file, line, field and the fix.</summary>
public sealed class DatasetException(DatasetIssue issue) : Exception(issue.ToString())
{
    public DatasetIssue Issue { get; } = issue;
}
