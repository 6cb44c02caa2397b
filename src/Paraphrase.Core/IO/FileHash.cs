using System.Security.Cryptography;

namespace Paraphrase.Core.IO;

public static class FileHash
{
    /// <summary>The lower-case hex sha256 of a file's bytes, read as a stream.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
