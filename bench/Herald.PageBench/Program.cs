using System.Diagnostics;
using System.Globalization;
using Herald.Web.Tests;
using Microsoft.Playwright;

// First render of a result: from the click on "open-example-seed-case-1" to [data-testid=result] visible (the page
// fetches the example, posts it to /api/recommendations and renders the answer), timed inside the page with
// performance.now(); the baseline is one fetch of /health from the same page. The server runs in-process on a free
// loopback port with a temporary audit database, as in the browser tests.
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
var warmups = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;

var directory = Directory.CreateTempSubdirectory("herald-pagebench-").FullName;
var (app, baseUrl) = await LoopbackServer.StartAsync(directory);

using var playwright = await Playwright.CreateAsync();
await using var browser = await HeraldBrowser.LaunchAsync(playwright);
var chromium = browser.Version;
await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
{
    BaseURL = baseUrl,
    ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
});
context.SetDefaultTimeout(HeraldBrowser.DefaultTimeoutMs);
var page = await context.NewPageAsync();
var pageErrors = new List<string>();
page.PageError += (_, e) => pageErrors.Add(e);

const string FirstRender = """
    async () => {
      const button = document.querySelector('[data-testid="open-example-seed-case-1"]');
      const shown = () => { const r = document.querySelector('[data-testid="result"]'); return !!r && r.checkVisibility(); };
      const start = performance.now();
      const dom = await new Promise(resolve => {
        const observer = new MutationObserver(() => { if (shown()) { observer.disconnect(); resolve(performance.now()); } });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
        button.click();
        if (shown()) { observer.disconnect(); resolve(performance.now()); }
      });
      const frame = await new Promise(resolve => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
      return [dom - start, frame - start];
    }
    """;
const string HealthFetch = """
    async () => {
      const start = performance.now();
      const response = await fetch('/health', { cache: 'no-store' });
      await response.text();
      return performance.now() - start;
    }
    """;

var domTimes = new List<double>();
var frameTimes = new List<double>();
var wallTimes = new List<double>();
var healthTimes = new List<double>();
for (var i = 0; i < warmups + runs; i++)
{
    await page.GotoAsync("/");
    await page.GetByTestId("open-example-seed-case-1").WaitForAsync();
    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    var health = await page.EvaluateAsync<double>(HealthFetch);

    var clock = Stopwatch.StartNew();
    var times = await page.EvaluateAsync<double[]>(FirstRender);
    await page.GetByTestId("result").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
    clock.Stop();

    if (i >= warmups)
    {
        domTimes.Add(times[0]);
        frameTimes.Add(times[1]);
        wallTimes.Add(clock.Elapsed.TotalMilliseconds);
        healthTimes.Add(health);
    }
}

await browser.CloseAsync();
await app.StopAsync();
await app.DisposeAsync();
try
{
    Directory.Delete(directory, recursive: true);
}
catch (IOException)
{
}

if (pageErrors.Count > 0)
{
    Console.Error.WriteLine("page errors: " + string.Join("; ", pageErrors));
}

Console.WriteLine($"Herald page first render, {runs} runs after {warmups} warm-ups, Chromium {chromium}, {Environment.ProcessorCount} CPUs");
Console.WriteLine("                                              median      p90");
Report("click -> result visible (in page, DOM)", domTimes);
Report("click -> result visible + next frame", frameTimes);
Report("click -> result visible (Playwright wall)", wallTimes);
Report("baseline: fetch /health from the page", healthTimes);
Console.WriteLine($"ratio (median first render / median /health fetch): {Median(domTimes) / Median(healthTimes):0.0}x; with next frame {Median(frameTimes) / Median(healthTimes):0.0}x");

static void Report(string name, List<double> values) =>
    Console.WriteLine($"{name,-44} {Median(values),7:0.0} ms {Percentile(values, 0.9),7:0.0} ms");

static double Median(List<double> values) => Percentile(values, 0.5);

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    var rank = p * (sorted.Count - 1);
    var low = (int)Math.Floor(rank);
    var high = (int)Math.Ceiling(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}
