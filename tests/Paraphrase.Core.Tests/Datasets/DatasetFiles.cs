using System.Text;

namespace Paraphrase.Core.Tests.Datasets;

/// <summary>Writes small dataset files into a per-test temporary directory.</summary>
internal sealed class DatasetFiles : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-tests-").FullName;

    public string Write(string name, string content) => WriteBytes(name, new UTF8Encoding(false).GetBytes(content));

    public string WriteBytes(string name, byte[] content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
