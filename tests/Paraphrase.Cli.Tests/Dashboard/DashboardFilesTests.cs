using System.Text;
using System.Text.RegularExpressions;
using Paraphrase.Dashboard;

namespace Paraphrase.Cli.Tests.Dashboard;

/// <summary>The embedded files themselves: everything the page loads is in the assembly, and nothing comes from elsewhere.</summary>
public sealed partial class DashboardFilesTests
{
    private static string Text(string path) => Encoding.UTF8.GetString(DashboardFiles.Find(path)!.Content.Span);

    [Fact]
    public void EveryFileThePageAndItsModulesLoadIsEmbedded()
    {
        string index = Text(DashboardFiles.IndexPath);
        var referenced = AssetReference().Matches(index).Select(m => m.Groups["path"].Value).ToList();
        Assert.Contains("js/app.js", referenced);
        Assert.Contains("vendor/uplot/uPlot.iife.min.js", referenced);
        Assert.All(referenced, path => Assert.NotNull(DashboardFiles.Find(path)));

        foreach (string module in DashboardFiles.Paths.Where(p => p.StartsWith("js/", StringComparison.Ordinal)))
        {
            foreach (Match import in ModuleImport().Matches(Text(module)))
            {
                string target = Path.GetFullPath(Path.Combine("/" + Path.GetDirectoryName(module), import.Groups["path"].Value))[1..];
                Assert.True(DashboardFiles.Find(target) is not null, $"{module} imports {import.Groups["path"].Value}, which is not embedded");
            }
        }
    }

    [Fact]
    public void NothingIsLoadedFromAnotherHost()
    {
        foreach (string path in DashboardFiles.Paths.Where(p => !p.StartsWith("vendor/", StringComparison.Ordinal) && Path.GetExtension(p) is ".js" or ".css" or ".html"))
        {
            Assert.DoesNotMatch(@"(src|href)\s*=\s*[""']?(https?:)?//", Text(path));
            Assert.DoesNotMatch(@"fetch\(\s*[""'`]https?:", Text(path));
        }

        Assert.Contains("MIT", Text("vendor/uplot/LICENSE"), StringComparison.Ordinal);
    }

    [Fact]
    public void FilesHaveTheirContentTypesAndThePageItsPolicy()
    {
        Assert.Same(DashboardFiles.Index, DashboardFiles.Find(""));
        Assert.Same(DashboardFiles.Index, DashboardFiles.Find("/"));
        Assert.Null(DashboardFiles.Find("nothing.js"));
        Assert.Null(DashboardFiles.Find("../Paraphrase.Dashboard.dll"));
        Assert.StartsWith("text/html", DashboardFiles.Index.ContentType, StringComparison.Ordinal);
        Assert.StartsWith("text/javascript", DashboardFiles.Find("js/app.js")!.ContentType, StringComparison.Ordinal);
        Assert.StartsWith("text/css", DashboardFiles.Find("css/dashboard.css")!.ContentType, StringComparison.Ordinal);
        Assert.Matches("^\"[0-9a-f]{16}\"$", DashboardFiles.Index.ETag);
        Assert.Contains("default-src 'none'", DashboardFiles.Headers["Content-Security-Policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", DashboardFiles.Headers["Content-Security-Policy"], StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?:src|href)=""dashboard/(?<path>[^""]+)""")]
    private static partial Regex AssetReference();

    [GeneratedRegex(@"from ""(?<path>\.{1,2}/[^""]+)""")]
    private static partial Regex ModuleImport();
}
