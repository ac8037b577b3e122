// Starts the ops page: the token, the server's lag history, then GET /ops/status every
// second. Compiled with the other files of this folder into one classic script, which
// ops-page.ts inlines into the page inside a function (nothing leaks into the page's globals).

let refreshTimer: number | undefined;
let refreshing = false;
let refreshAgain = false;

/** One read at a time: a call while one is under way runs once it ends, not alongside it. */
function refresh(): void {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = true;
  clearTimeout(refreshTimer);
  api<StatusView>('GET', '/ops/status')
    .then((view) => {
      renderProjections(view.projections);
      recordLag(view);
      drawChart();
      renderKafka(view);
      required('#updated').textContent = new Date(view.time).toLocaleTimeString();
      required('#token-needed').hidden = true;
      showError('');
    })
    .catch((e: unknown) => {
      if (e instanceof HttpProblem && e.status === 401) required('#token-needed').hidden = false;
      showError(messageOf(e));
    })
    .finally(() => {
      refreshing = false;
      if (refreshAgain) {
        refreshAgain = false;
        refresh();
      } else {
        refreshTimer = window.setTimeout(refresh, 1000);
      }
    });
}

function loadHistory(): Promise<void> {
  return api<LagHistoryView>('GET', '/ops/lag-history').then(loadLagHistory, () => undefined);
}

/** After a new token: what it may do, the history it may read, then the rest. */
function start(): void {
  void checkAccess()
    .then(loadHistory)
    .then(() => {
      refresh();
      loadEvents(null);
    });
}

adoptUrlToken();
installTokenForm(start);
installEventBrowser();
required('#chart-window').addEventListener('change', drawChart);
start();
