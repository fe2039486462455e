// The plan dashboard: asks the projections API with the user's own token, shows the indicators
// against their targets per unit and a time series per indicator. No inline script (the page's CSP
// allows only files of this service), no storage but sessionStorage, no other origin.
(function () {
  'use strict';

  var TOKEN_KEY = 'haidang.dashboard.token';
  var LANGUAGE_KEY = 'haidang.dashboard.language';
  var MAX_CHARTS = 16;

  var TEXT = {
    vi: {
      title: 'Tiến độ thực hiện kế hoạch',
      switchLanguage: 'English',
      tokenHeading: 'Mã truy cập',
      tokenHelp: 'Dán mã truy cập (JWT) của bạn. Mã chỉ được giữ trong phiên này của trình duyệt.',
      saveToken: 'Lưu mã',
      forgetToken: 'Xoá mã',
      tokenSaved: 'Đã lưu mã cho phiên này.',
      tokenMissing: 'Chưa có mã truy cập.',
      filtersHeading: 'Bộ lọc',
      province: 'Tỉnh',
      unitLevel: 'Cấp đơn vị',
      levelCOMMUNE: 'Xã',
      levelDISTRICT: 'Huyện (trước 01/7/2025)',
      levelPROVINCE: 'Tỉnh',
      unit: 'Đơn vị',
      period: 'Kỳ',
      indicator: 'Chỉ tiêu',
      allIndicators: 'Tất cả',
      plan: 'Kế hoạch',
      seriesKind: 'Chuỗi theo',
      kindMONTH: 'Tháng',
      kindQUARTER: 'Quý',
      kindYEAR: 'Năm',
      load: 'Xem',
      tableHeading: 'Chỉ tiêu theo đơn vị',
      legendMet: 'Đạt chỉ tiêu',
      legendNear: 'Đạt từ 75%',
      legendBehind: 'Dưới 75%',
      legendSuppressed: 'Ẩn (bảo vệ số nhỏ)',
      colCode: 'Mã',
      colIndicator: 'Chỉ tiêu',
      colUnit: 'Đơn vị hành chính',
      colPeriod: 'Kỳ',
      colNumerator: 'Tử số',
      colDenominator: 'Mẫu số',
      colValue: 'Giá trị',
      colTarget: 'Chỉ tiêu kế hoạch',
      colShare: 'Tỷ lệ đạt',
      seriesHeading: 'Diễn biến theo thời gian',
      suppressed: 'ẩn',
      suppressedTitle: 'Số nhỏ được ẩn để bảo vệ người liên quan',
      loading: 'Đang tải…',
      loaded: 'Đã tải {n} dòng.',
      empty: 'Không có số liệu cho bộ lọc này.',
      unauthorized: 'Mã truy cập không hợp lệ hoặc đã hết hạn.',
      forbidden: 'Mã truy cập này không được xem số liệu này.',
      badRequest: 'Bộ lọc chưa đúng: ',
      failed: 'Không tải được số liệu (mã lỗi {status}).',
      target: 'Chỉ tiêu',
      value: 'Giá trị',
    },
    en: {
      title: 'Plan progress',
      switchLanguage: 'Tiếng Việt',
      tokenHeading: 'Access token',
      tokenHelp: 'Paste your access token (JWT). It is kept in this browser session only.',
      saveToken: 'Save token',
      forgetToken: 'Forget token',
      tokenSaved: 'Token saved for this session.',
      tokenMissing: 'No access token yet.',
      filtersHeading: 'Filters',
      province: 'Province',
      unitLevel: 'Unit level',
      levelCOMMUNE: 'Commune',
      levelDISTRICT: 'District (before 1 July 2025)',
      levelPROVINCE: 'Province',
      unit: 'Unit',
      period: 'Period',
      indicator: 'Indicator',
      allIndicators: 'All',
      plan: 'Plan',
      seriesKind: 'Series by',
      kindMONTH: 'Month',
      kindQUARTER: 'Quarter',
      kindYEAR: 'Year',
      load: 'Show',
      tableHeading: 'Indicators by unit',
      legendMet: 'Target met',
      legendNear: '75% or more',
      legendBehind: 'Below 75%',
      legendSuppressed: 'Suppressed (small numbers)',
      colCode: 'Code',
      colIndicator: 'Indicator',
      colUnit: 'Administrative unit',
      colPeriod: 'Period',
      colNumerator: 'Numerator',
      colDenominator: 'Denominator',
      colValue: 'Value',
      colTarget: 'Target',
      colShare: 'Share achieved',
      seriesHeading: 'Over time',
      suppressed: 'suppressed',
      suppressedTitle: 'Small numbers are hidden to protect the people behind them',
      loading: 'Loading…',
      loaded: '{n} rows loaded.',
      empty: 'No figures for these filters.',
      unauthorized: 'The access token is invalid or has expired.',
      forbidden: 'This access token may not see these figures.',
      badRequest: 'Check the filters: ',
      failed: 'The figures could not be loaded (status {status}).',
      target: 'Target',
      value: 'Value',
    },
  };

  // What the status lines say, as a key of TEXT (re-rendered in the other language) or the server's own words.
  var state = { language: 'vi', cells: [], series: [], charts: [], status: null, tokenState: null, indicators: {} };

  function $(id) {
    return document.getElementById(id);
  }

  function t(key, values) {
    var text = TEXT[state.language][key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.replace('{' + name + '}', String(values[name]));
    });
    return text;
  }

  function numberFormat(decimals) {
    return new Intl.NumberFormat(state.language === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: decimals });
  }

  function formatNumber(value, decimals) {
    return numberFormat(decimals === undefined ? 2 : decimals).format(value);
  }

  function isPercent(cell) {
    return cell.target !== null && cell.target !== undefined && cell.target.unit === 'PERCENT';
  }

  /** The API's value is percent points for a PERCENT target (87.5), the count otherwise. */
  function formatValue(value, percent) {
    if (value === null || value === undefined) return '';
    return percent ? formatNumber(value, 1) + '%' : formatNumber(value, 2);
  }

  function formatTarget(target) {
    if (!target) return '';
    return (target.comparison === 'MORE_THAN' ? '> ' : '≥ ') + formatValue(target.value, target.unit === 'PERCENT');
  }

  function shareClass(cell) {
    if (cell.suppressed) return 'share-suppressed';
    if (cell.shareAchieved === null || cell.shareAchieved === undefined) return 'share-none';
    if (cell.shareAchieved >= 1) return 'share-met';
    if (cell.shareAchieved >= 0.75) return 'share-near';
    return 'share-behind';
  }

  function applyLanguage() {
    document.documentElement.lang = state.language;
    document.title = 'Hải Đăng — ' + t('title');
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (element) {
      element.textContent = t(element.getAttribute('data-i18n'));
    });
    renderStatus();
    renderIndicatorChoices();
    renderTable();
    renderCharts();
  }

  function td(text, className) {
    var cell = document.createElement('td');
    cell.textContent = text;
    if (className) cell.className = className;
    return cell;
  }

  function figure(cell, value, percent, className) {
    if (cell.suppressed) {
      var hidden = td(t('suppressed'), 'number suppressed ' + className);
      hidden.title = t('suppressedTitle');
      return hidden;
    }
    return td(formatValue(value, percent), 'number ' + className);
  }

  function renderTable() {
    var body = document.querySelector('#indicators tbody');
    body.textContent = '';
    state.cells.forEach(function (cell) {
      var row = document.createElement('tr');
      row.className = shareClass(cell);
      row.setAttribute('data-code', cell.code);
      row.setAttribute('data-unit', cell.unitCode);
      row.setAttribute('data-period', cell.period.label);
      row.appendChild(td(cell.code, 'code'));
      row.appendChild(td(state.language === 'vi' ? cell.labelVi : cell.labelEn, 'label'));
      row.appendChild(td(cell.unitName + ' (' + cell.unitCode + ')', 'unit'));
      row.appendChild(td(cell.period.label, 'period'));
      row.appendChild(figure(cell, cell.numerator, false, 'numerator'));
      row.appendChild(figure(cell, cell.denominator, false, 'denominator'));
      row.appendChild(figure(cell, cell.value, isPercent(cell), 'value'));
      row.appendChild(td(formatTarget(cell.target), 'number target'));
      row.appendChild(figure(cell, cell.shareAchieved === null || cell.shareAchieved === undefined ? null : cell.shareAchieved * 100, true, 'share'));
      body.appendChild(row);
    });
  }

  function renderCharts() {
    state.charts.forEach(function (chart) {
      chart.destroy();
    });
    state.charts = [];
    var box = $('charts');
    box.textContent = '';
    if (typeof Chart === 'undefined') return;
    state.series.forEach(function (series) {
      var percent = series.target !== null && series.target !== undefined && series.target.unit === 'PERCENT';
      var figureElement = document.createElement('figure');
      figureElement.className = 'series';
      figureElement.setAttribute('data-code', series.code);
      var caption = document.createElement('figcaption');
      caption.textContent = (state.language === 'vi' ? series.labelVi : series.labelEn) + ' — ' + series.unitCode;
      var chartBox = document.createElement('div');
      chartBox.className = 'chart-box';
      var canvas = document.createElement('canvas');
      chartBox.appendChild(canvas);
      figureElement.appendChild(caption);
      figureElement.appendChild(chartBox);
      box.appendChild(figureElement);
      var labels = series.points.map(function (point) {
        return point.period.label;
      });
      var datasets = [
        {
          label: t('value'),
          data: series.points.map(function (point) {
            return point.suppressed ? null : point.value;
          }),
          borderColor: '#2b6cb0',
          backgroundColor: '#2b6cb0',
          spanGaps: false,
        },
      ];
      if (series.target) {
        datasets.push({
          label: t('target') + ' ' + formatTarget(series.target),
          data: series.points.map(function () {
            return series.target.value;
          }),
          borderColor: '#c53030',
          borderDash: [6, 4],
          pointRadius: 0,
        });
      }
      state.charts.push(
        new Chart(canvas, {
          type: 'line',
          data: { labels: labels, datasets: datasets },
          options: {
            animation: false,
            maintainAspectRatio: false,
            locale: state.language === 'vi' ? 'vi-VN' : 'en-GB',
            scales: {
              y: {
                beginAtZero: true,
                ticks: {
                  callback: function (value) {
                    return formatValue(value, percent);
                  },
                },
              },
            },
          },
        }),
      );
    });
  }

  function messageText(message) {
    if (!message) return '';
    if (message.refused) return problemText(message.refused.response, message.refused.body);
    return message.key ? t(message.key, message.values) : message.text;
  }

  function renderStatus() {
    var status = $('status');
    status.textContent = messageText(state.status);
    status.className = state.status && state.status.isError ? 'error' : '';
    $('token-state').textContent = messageText(state.tokenState);
  }

  /** A status line: `key` of TEXT with its values, or `{ text }` as the server worded it. */
  function setStatus(key, values, isError) {
    state.status = typeof key === 'string' ? { key: key, values: values, isError: isError } : { text: key.text, isError: true };
    renderStatus();
  }

  function setTokenState(key) {
    state.tokenState = { key: key };
    renderStatus();
  }

  function filters() {
    var values = {};
    ['provinceCode', 'unitLevel', 'unitCode', 'period', 'codes', 'planId'].forEach(function (name) {
      var value = $(name).value.trim();
      if (value !== '') values[name] = value;
    });
    return values;
  }

  function queryString(values) {
    return Object.keys(values)
      .map(function (name) {
        return encodeURIComponent(name) + '=' + encodeURIComponent(values[name]);
      })
      .join('&');
  }

  /** A refusal of the API, kept whole so that its message follows the language toggle. */
  function RefusedRequest(response, body) {
    this.response = response;
    this.body = body;
  }

  function problemText(response, body) {
    if (response.status === 401) return t('unauthorized');
    if (response.status === 403) return t('forbidden');
    if (response.status === 400 && body && Array.isArray(body.errors)) {
      return (
        t('badRequest') +
        body.errors
          .map(function (error) {
            return (error.field || error.name || '') + ': ' + (error.message || error.detail || '');
          })
          .join('; ')
      );
    }
    if (body && body.detail) return body.detail;
    return t('failed', { status: response.status });
  }

  function getJson(path) {
    var token = sessionStorage.getItem(TOKEN_KEY);
    return fetch(path, { headers: { Accept: 'application/json', Authorization: 'Bearer ' + token } }).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch (ignored) {
          body = null;
        }
        if (!response.ok) throw new RefusedRequest(response, body);
        return body;
      });
    });
  }

  /** The API answers a list of cells, possibly inside an envelope. */
  function cellsOf(body) {
    if (Array.isArray(body)) return body;
    if (body && Array.isArray(body.items)) return body.items;
    if (body && Array.isArray(body.cells)) return body.cells;
    if (body && Array.isArray(body.indicators)) return body.indicators;
    return [];
  }

  /** The indicator filter offers every indicator seen so far, by its name in the page's language. */
  function fillIndicatorChoices(cells) {
    cells.forEach(function (cell) {
      state.indicators[cell.code] = { vi: cell.labelVi, en: cell.labelEn };
    });
    renderIndicatorChoices();
  }

  function renderIndicatorChoices() {
    var select = $('codes');
    var chosen = select.value;
    Array.prototype.slice.call(select.options, 1).forEach(function (option) {
      select.removeChild(option);
    });
    Object.keys(state.indicators).forEach(function (code) {
      var option = document.createElement('option');
      option.value = code;
      option.textContent = state.indicators[code][state.language];
      select.appendChild(option);
    });
    select.value = chosen;
  }

  /** The series runs from the start of the period's year to the period's end, for the unit chosen (else the province). */
  function seriesQuery(values, cells) {
    var period = cells[0].period;
    var query = {
      provinceCode: values.provinceCode,
      unitLevel: values.unitCode ? values.unitLevel : 'PROVINCE',
      periodKind: $('periodKind').value,
      from: period.from.slice(0, 4) + '-01-01',
      to: period.to,
    };
    if (values.unitCode) query.unitCode = values.unitCode;
    if (values.planId) query.planId = values.planId;
    return query;
  }

  function load(event) {
    if (event) event.preventDefault();
    if (!sessionStorage.getItem(TOKEN_KEY)) {
      setStatus('tokenMissing', {}, true);
      return;
    }
    var values = filters();
    setStatus('loading', {}, false);
    getJson('/api/v1/indicators?' + queryString(values))
      .then(function (body) {
        var cells = cellsOf(body);
        state.cells = cells;
        fillIndicatorChoices(cells);
        renderTable();
        if (cells.length === 0) {
          state.series = [];
          renderCharts();
          setStatus('empty', {}, false);
          return null;
        }
        var codes = [];
        cells.forEach(function (cell) {
          if (codes.indexOf(cell.code) < 0) codes.push(cell.code);
        });
        var query = queryString(seriesQuery(values, cells));
        return Promise.all(
          codes.slice(0, MAX_CHARTS).map(function (code) {
            // A plan's target that no definition computes has no series: its chart is left out, the rest stay.
            return getJson('/api/v1/indicators/' + encodeURIComponent(code) + '/series?' + query).catch(function () {
              return null;
            });
          }),
        ).then(function (series) {
          state.series = series.filter(function (one) {
            return one && Array.isArray(one.points);
          });
          renderCharts();
          setStatus('loaded', { n: cells.length }, false);
          document.body.setAttribute('data-loaded', 'true');
        });
      })
      .catch(function (error) {
        if (error instanceof RefusedRequest) {
          state.status = { refused: error, isError: true };
          renderStatus();
        } else setStatus({ text: error.message });
      });
  }

  function start() {
    state.language = sessionStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'vi';
    var saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved) {
      $('token').value = saved;
      state.tokenState = { key: 'tokenSaved' };
      $('token-panel').open = false;
    }
    $('save-token').addEventListener('click', function () {
      var token = $('token').value.trim();
      if (token === '') {
        sessionStorage.removeItem(TOKEN_KEY);
        setTokenState('tokenMissing');
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, token);
      setTokenState('tokenSaved');
      $('token-panel').open = false;
      load();
    });
    $('forget-token').addEventListener('click', function () {
      sessionStorage.removeItem(TOKEN_KEY);
      $('token').value = '';
      setTokenState('tokenMissing');
      $('token-panel').open = true;
    });
    $('language').addEventListener('click', function () {
      state.language = state.language === 'vi' ? 'en' : 'vi';
      sessionStorage.setItem(LANGUAGE_KEY, state.language);
      applyLanguage();
    });
    $('filters').addEventListener('submit', load);
    applyLanguage();
    if (saved) load();
  }

  document.addEventListener('DOMContentLoaded', start);
})();
