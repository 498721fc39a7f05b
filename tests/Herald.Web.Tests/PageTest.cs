using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Herald.Web.Tests;

/// <summary>
/// One test: a fresh browser context and page on the shared server and browser. Every request is routed and any
/// that would leave the server's origin is refused and recorded; console errors and page errors are recorded. A test
/// fails at its end if the page logged an error or tried to reach another origin.
/// </summary>
[Collection(WebCollection.Name)]
public abstract class PageTest(HeraldWebFixture server) : IAsyncLifetime
{
    private readonly List<string> pageErrors = [];
    private readonly List<string> offOrigin = [];
    private readonly List<string> requested = [];
    private readonly HashSet<int> expectedFailureStatuses = [];
    private readonly List<IResponse> responses = [];
    private IBrowserContext? context;
    private IPage? page;

    protected HeraldWebFixture Server { get; } = server;

    protected IBrowserContext Context => context ?? throw new InvalidOperationException("no context yet");

    protected IPage Page => page ?? throw new InvalidOperationException("no page yet");

    /// <summary>Every URL the page requested, in order (same-origin ones went through, others were refused).</summary>
    protected IReadOnlyList<string> Requested
    {
        get
        {
            lock (requested)
            {
                return [.. requested];
            }
        }
    }

    protected IReadOnlyList<string> OffOrigin
    {
        get
        {
            lock (offOrigin)
            {
                return [.. offOrigin];
            }
        }
    }

    public virtual async Task InitializeAsync()
    {
        context = await Server.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "UTC",
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        context.SetDefaultTimeout(HeraldBrowser.DefaultTimeoutMs);
        Assertions.SetDefaultExpectTimeout(HeraldBrowser.DefaultTimeoutMs);
        context.SetDefaultNavigationTimeout(HeraldBrowser.DefaultTimeoutMs);
        await context.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            lock (requested)
            {
                requested.Add(url);
            }

            if (SameOrigin(url))
            {
                await route.ContinueAsync();
            }
            else
            {
                lock (offOrigin)
                {
                    offOrigin.Add(url);
                }

                await route.AbortAsync("blockedbyclient");
            }
        });

        page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !Expected(message))
            {
                lock (pageErrors)
                {
                    pageErrors.Add($"console error: {message.Text} (at {message.Location})");
                }
            }
        };
        page.Response += (_, response) =>
        {
            lock (responses)
            {
                responses.Add(response);
            }
        };
        page.PageError += (_, error) =>
        {
            lock (pageErrors)
            {
                pageErrors.Add("page error: " + error);
            }
        };
    }

    public virtual async Task DisposeAsync()
    {
        if (context is not null)
        {
            await context.CloseAsync();
        }

        Assert.True(OffOrigin.Count == 0, "the page tried to reach another origin: " + string.Join(", ", OffOrigin));
        lock (pageErrors)
        {
            Assert.True(pageErrors.Count == 0, "the page logged errors:\n" + string.Join("\n", pageErrors));
        }
    }

    /// <summary>Tests that provoke an error answer on purpose (400 for invalid input) declare its status here: the
    /// browser's own "Failed to load resource" console line for it is then not counted as a page error.</summary>
    protected void ExpectFailedResponse(int status) => expectedFailureStatuses.Add(status);

    private bool Expected(IConsoleMessage message) =>
        message.Text.StartsWith("Failed to load resource: the server responded with a status of ", StringComparison.Ordinal)
        && expectedFailureStatuses.Any(s => message.Text.Contains($"status of {s} ", StringComparison.Ordinal));

    protected bool SameOrigin(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        // data: and blob: URLs never leave the machine.
        if (uri.Scheme is "data" or "blob")
        {
            return true;
        }

        return uri.Host == "127.0.0.1" && string.Equals(uri.GetLeftPart(UriPartial.Authority), Server.BaseUrl, StringComparison.Ordinal);
    }

    /// <summary>The responses the page received so far whose path is <paramref name="path"/> (e.g. "/api/comparison").</summary>
    protected IReadOnlyList<IResponse> ResponsesTo(string path)
    {
        lock (responses)
        {
            return [.. responses.Where(r => new Uri(r.Url).AbsolutePath == path)];
        }
    }

    /// <summary>Waits until the page has received more than <paramref name="already"/> answers from <paramref name="path"/>
    /// and returns the newest.</summary>
    protected async Task<IResponse> WaitForResponseTo(string path, int already = 0)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(HeraldBrowser.DefaultTimeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            var seen = ResponsesTo(path);
            if (seen.Count > already)
            {
                return seen[^1];
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the page made no (further) request to {path} within {HeraldBrowser.DefaultTimeoutMs} ms");
    }

    /// <summary>The API's own answer, through HttpClient, to exactly what the page sent: same path and query, same
    /// body, same media type. Expected values are computed from this, never hard-coded.</summary>
    protected async Task<(int Status, JsonNode Body)> ApiAnswerFor(IRequest request)
    {
        var uri = new Uri(request.Url);
        var headers = await request.AllHeadersAsync();
        var mediaType = headers.TryGetValue("content-type", out var type) ? type.Split(';')[0].Trim() : "application/json";
        return await Server.Post(uri.PathAndQuery, request.PostData ?? "", mediaType);
    }

    /// <summary>As <see cref="ApiAnswerFor"/>, requiring a 200.</summary>
    protected async Task<JsonNode> ApiDecisionFor(IRequest request)
    {
        var (status, body) = await ApiAnswerFor(request);
        Assert.True(status == 200, $"{request.Method} {request.Url} answered {status} through HttpClient: {body.ToJsonString()}");
        return body;
    }

    // ---- helpers on the DOM contract ----

    protected ILocator ById(string testId) => Page.GetByTestId(testId);

    protected async Task OpenPage()
    {
        await Page.GotoAsync("/");
        await Assertions.Expect(ById("tab-patient")).ToBeVisibleAsync();
    }

    /// <summary>Clicks an example's button and waits for the page's decision answer and the result it renders.</summary>
    protected async Task<IResponse> OpenExample(string id)
    {
        var button = ById("open-example-" + id);
        await Assertions.Expect(button).ToBeVisibleAsync();
        var response = await Page.RunAndWaitForResponseAsync(
            () => button.ClickAsync(),
            r => r.Url.Contains("/api/recommendations", StringComparison.Ordinal) && r.Request.Method == "POST");
        await Assertions.Expect(ById("result")).ToBeVisibleAsync();
        return response;
    }

    protected async Task SelectTab(string name)
    {
        await ById("tab-" + name).ClickAsync();
        await Assertions.Expect(ById("panel-" + name)).ToBeVisibleAsync();
    }

    protected static bool HasAgent(JsonNode? regimen, string agent) =>
        regimen?["agents"]?.AsArray().Any(a => string.Equals(a?.GetValue<string>(), agent, StringComparison.OrdinalIgnoreCase)) == true;

    protected static string Str(JsonNode? node) => node?.GetValue<string>() ?? "";

    protected static async Task<List<string>> Attributes(ILocator locator, string name)
    {
        var values = new List<string>();
        foreach (var item in await locator.AllAsync())
        {
            values.Add(await item.GetAttributeAsync(name) ?? "");
        }

        return values;
    }

    /// <summary>The repository root (holding Herald.slnx), recorded at build time.</summary>
    protected static string RepositoryRoot() =>
        typeof(PageTest).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>A shipped example file copied beside the tests, e.g. "examples/fhir/seed-case-1.bundle.json".</summary>
    protected static string ExampleFile(string relative)
    {
        var path = Path.Combine(AppContext.BaseDirectory, relative);
        Assert.True(File.Exists(path), "missing test input " + path);
        return path;
    }
}
