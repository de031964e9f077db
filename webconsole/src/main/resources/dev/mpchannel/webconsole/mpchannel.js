/*
 * The mpchannel Web Console tab: polls status.json every second and health.json every 10 s, and draws every channel
 * with its peers, actions, counters, health verdict and a chart of messages per second.
 * Every text from the server goes into the page as text (textContent, createTextNode), never as markup: names that
 * peers chose cannot become elements or script. Plain ES5 and XMLHttpRequest, so that older consoles' browsers and
 * HtmlUnit run it too.
 */
(function () {
    'use strict';
    var root = document.getElementById('mpchannel');
    if (!root) {
        return;
    }
    var base = root.getAttribute('data-root');
    var list = document.getElementById('mpchannel-channels');
    var summary = document.getElementById('mpchannel-summary');
    var HISTORY = 60;           // samples in a chart: a minute at one per second
    var views = {};             // channel name -> {section, its parts, last: {t, total}, rates: [msgs/s]}
    var health = {};            // channel name -> check result
    var healthNote = '';
    var shape = null;           // what the health verdict depends on, as last seen: a change asks for it again

    function get(path, onJson) {
        var request = new XMLHttpRequest();
        request.open('GET', base + '/' + path, true);
        request.onreadystatechange = function () {
            if (request.readyState !== 4) {
                return;
            }
            if (request.status === 200) {
                try {
                    onJson(JSON.parse(request.responseText));
                } catch (e) {
                    summary.textContent = 'Could not read ' + path + ': ' + e;
                }
            } else {
                summary.textContent = 'Could not read ' + path + ': HTTP ' + request.status;
            }
        };
        request.send();
    }

    function element(tag, text, className) {
        var e = document.createElement(tag);
        if (text !== undefined && text !== null) {
            e.appendChild(document.createTextNode(String(text)));
        }
        if (className) {
            e.className = className;
        }
        return e;
    }

    function row(cells, header) {
        var tr = document.createElement('tr');
        for (var i = 0; i < cells.length; i++) {
            var cell = cells[i];
            var td = element(header ? 'th' : 'td', cell.text,
                (cell.num ? 'num' : '') + (header ? ' ui-widget-header' : ''));
            if (cell.key) {
                td.setAttribute('data-key', cell.key);
            }
            tr.appendChild(td);
        }
        return tr;
    }

    function pair(a, b) {
        return a + '/' + b;
    }

    function trafficCells(t) {
        return [
            {text: pair(t.messagesIn, t.messagesOut), num: true, key: 'messages'},
            {text: pair(t.bytesIn, t.bytesOut), num: true, key: 'bytes'},
            {text: pair(t.fdsIn, t.fdsOut), num: true, key: 'fds'},
            {text: t.errors, num: true, key: 'errors'},
            {text: t.ignored, num: true, key: 'ignored'},
            {text: t.timeouts, num: true, key: 'timeouts'}
        ];
    }

    var TRAFFIC_HEADERS = [{text: 'msgs in/out', num: true}, {text: 'bytes in/out', num: true},
        {text: 'fds in/out', num: true}, {text: 'errors', num: true}, {text: 'ignored', num: true},
        {text: 'timeouts', num: true}];

    function table(kind, headers, rows, empty) {
        var t = element('table', null, 'nicetable tablesorter');
        t.setAttribute('data-table', kind);
        var head = document.createElement('thead');
        head.appendChild(row(headers, true));
        t.appendChild(head);
        var body = document.createElement('tbody');
        if (rows.length === 0) {
            var tr = document.createElement('tr');
            var td = element('td', empty, 'mpchannel-empty');
            td.setAttribute('colspan', String(headers.length));
            tr.appendChild(td);
            body.appendChild(tr);
        }
        for (var i = 0; i < rows.length; i++) {
            body.appendChild(rows[i]);
        }
        t.appendChild(body);
        return t;
    }

    function view(name) {
        var v = views[name];
        if (v) {
            return v;
        }
        v = {last: null, rates: []};
        v.section = element('div', null, 'mpchannel-channel');
        v.section.setAttribute('data-channel', name);
        var title = element('h3', 'Channel ' + name + ' ');
        v.verdict = element('span', '', '');
        v.verdict.setAttribute('data-health', '');
        title.appendChild(v.verdict);
        v.section.appendChild(title);
        v.facts = element('div');
        v.section.appendChild(v.facts);
        v.chartTitle = element('p', 'messages per second (in + out), last minute');
        v.section.appendChild(v.chartTitle);
        v.canvas = document.createElement('canvas');
        v.canvas.width = 480;
        v.canvas.height = 90;
        v.canvas.className = 'mpchannel-chart';
        v.canvas.setAttribute('data-chart', name);
        v.section.appendChild(v.canvas);
        v.peers = element('div');
        v.section.appendChild(v.peers);
        v.actions = element('div');
        v.section.appendChild(v.actions);
        v.findings = element('div');
        v.section.appendChild(v.findings);
        views[name] = v;
        return v;
    }

    function replace(container, child) {
        while (container.firstChild) {
            container.removeChild(container.firstChild);
        }
        if (child) {
            container.appendChild(child);
        }
    }

    function fact(label, value, key) {
        var tr = document.createElement('tr');
        tr.appendChild(element('td', label));
        var td = element('td', value);
        td.setAttribute('data-key', key);
        tr.appendChild(td);
        return tr;
    }

    function drawFacts(v, c, rate) {
        var t = element('table', null, 'nicetable mpchannel-facts');
        var body = document.createElement('tbody');
        if (!c.running) {
            body.appendChild(fact('state', 'NOT RUNNING', 'state'));
            body.appendChild(fact('why', c.problem, 'problem'));
        } else {
            body.appendChild(fact('role', c.role, 'role'));
            body.appendChild(fact('state', c.state, 'state'));
            body.appendChild(fact('socket', c.socket, 'socket'));
            body.appendChild(fact('peers', c.peers.length, 'peerCount'));
            body.appendChild(fact('bound', c.bound.length ? c.bound.join(', ') : '(none)', 'bound'));
            body.appendChild(fact('refused', c.refused.length ? c.refused.join(', ') : '(none)', 'refused'));
            var s = c.totals;
            body.appendChild(fact('messages', pair(s.messagesIn, s.messagesOut) + ' in/out', 'messages'));
            body.appendChild(fact('bytes', pair(s.bytesIn, s.bytesOut) + ' in/out', 'bytes'));
            body.appendChild(fact('fds', pair(s.fdsIn, s.fdsOut) + ' in/out', 'fds'));
            body.appendChild(fact('problems', 'errors ' + s.errors + ', ignored ' + s.ignored + ', timeouts '
                + s.timeouts, 'problems'));
            body.appendChild(fact('rate', rate === null ? '-' : rate.toFixed(1) + ' msgs/s', 'rate'));
        }
        t.appendChild(body);
        replace(v.facts, t);
    }

    function drawPeers(v, c) {
        var rows = [];
        for (var i = 0; i < c.peers.length; i++) {
            var p = c.peers[i];
            var tr = row([{text: p.id, key: 'id'}, {text: p.role, key: 'role'}, {text: p.pid, num: true, key: 'pid'},
                {text: p.uid, num: true, key: 'uid'}, {text: p.gid, num: true, key: 'gid'},
                {text: p.since, key: 'since'}].concat(trafficCells(p.traffic)));
            tr.setAttribute('data-peer-pid', String(p.pid));
            rows.push(tr);
        }
        replace(v.peers, table('peers', [{text: 'peer'}, {text: 'role'}, {text: 'pid', num: true},
            {text: 'uid', num: true}, {text: 'gid', num: true}, {text: 'connected since'}].concat(TRAFFIC_HEADERS),
            rows, 'no peer connected'));
    }

    function drawActions(v, c) {
        var rows = [];
        for (var i = 0; i < c.actions.length; i++) {
            var a = c.actions[i];
            var tr = row([{text: a.name, key: 'name'}, {text: a.here, key: 'here'}].concat(trafficCells(a.traffic)));
            tr.setAttribute('data-action', a.name);
            rows.push(tr);
        }
        replace(v.actions, table('actions', [{text: 'action'}, {text: 'here'}].concat(TRAFFIC_HEADERS), rows,
            'no action bound or seen yet'));
    }

    function drawHealth(v, name) {
        var check = health[name];
        v.verdict.className = check ? 'mpchannel-health-' + check.status : '';
        v.verdict.textContent = check ? check.status : (healthNote ? '(no verdict)' : '');
        v.verdict.setAttribute('data-health', check ? check.status : '');
        v.verdict.title = check ? check.name : healthNote;
        if (!check) {
            replace(v.findings, healthNote ? element('p', 'Health: ' + healthNote, 'mpchannel-note') : null);
            return;
        }
        var ul = element('ul');
        ul.setAttribute('data-findings', name);
        for (var i = 0; i < check.log.length; i++) {
            var li = element('li');
            li.appendChild(element('span', check.log[i].status, 'mpchannel-health-' + check.log[i].status));
            li.appendChild(document.createTextNode(' ' + check.log[i].message));
            ul.appendChild(li);
        }
        var box = element('div');
        box.appendChild(element('p', 'Health check "' + check.name + '": ' + check.status));
        box.appendChild(ul);
        replace(v.findings, box);
    }

    function drawChart(v) {
        var context;
        try {
            context = v.canvas.getContext('2d');
        } catch (e) {
            return;
        }
        if (!context) {
            return;
        }
        var w = v.canvas.width, h = v.canvas.height, top = 14, bottom = h - 4;
        var max = 1;
        for (var i = 0; i < v.rates.length; i++) {
            max = Math.max(max, v.rates[i]);
        }
        context.clearRect(0, 0, w, h);
        context.fillStyle = '#666';
        context.font = '11px sans-serif';
        context.fillText('max ' + max.toFixed(1) + ' msgs/s', 4, 11);
        context.strokeStyle = '#ddd';
        context.beginPath();
        context.moveTo(0, bottom);
        context.lineTo(w, bottom);
        context.stroke();
        if (v.rates.length < 2) {
            return;
        }
        context.strokeStyle = '#2f6db5';
        context.lineWidth = 2;
        context.beginPath();
        var step = w / (HISTORY - 1);
        var x0 = w - step * (v.rates.length - 1);
        for (var j = 0; j < v.rates.length; j++) {
            var x = x0 + j * step, y = bottom - (bottom - top) * v.rates[j] / max;
            if (j === 0) {
                context.moveTo(x, y);
            } else {
                context.lineTo(x, y);
            }
        }
        context.stroke();
    }

    /** Messages per second since the previous sample of this channel, or null for the first one. */
    function sample(v, c, time) {
        if (!c.running) {
            v.last = null;
            return null;
        }
        var total = c.totals.messagesIn + c.totals.messagesOut;
        var previous = v.last;
        v.last = {t: time, total: total};
        if (!previous || time <= previous.t || total < previous.total) {
            return null; // the first sample, or a re-created channel counting from zero again
        }
        var rate = (total - previous.total) * 1000 / (time - previous.t);
        v.rates.push(rate);
        if (v.rates.length > HISTORY) {
            v.rates.shift();
        }
        return rate;
    }

    function onStatus(status) {
        var seen = {};
        for (var i = 0; i < status.channels.length; i++) {
            var c = status.channels[i];
            seen[c.name] = true;
            var v = view(c.name);
            var rate = sample(v, c, status.time);
            drawFacts(v, c, rate);
            if (c.running) {
                drawPeers(v, c);
                drawActions(v, c);
            } else {
                replace(v.peers, null);
                replace(v.actions, null);
            }
            drawHealth(v, c.name);
            drawChart(v);
            list.appendChild(v.section); // in the server's order (by name); appending moves an existing one
        }
        for (var name in views) {
            if (Object.prototype.hasOwnProperty.call(views, name) && !seen[name]) {
                list.removeChild(views[name].section);
                delete views[name];
            }
        }
        summary.textContent = status.channels.length === 0
            ? 'No channel is configured: add a factory configuration dev.mpchannel.channel (a file'
                + ' dev.mpchannel.channel-NAME.cfg).'
            : status.channels.length + (status.channels.length === 1 ? ' channel' : ' channels') + ', read at '
                + new Date(status.time).toLocaleTimeString();
        summary.setAttribute('data-time', String(status.time));
        var now = JSON.stringify(status.channels.map(function (c) {
            return [c.name, c.running, c.state, c.running ? c.peers.length : 0, c.running ? c.totals.errors : 0,
                c.running ? c.totals.ignored : 0, c.running ? c.totals.timeouts : 0];
        }));
        if (shape !== null && now !== shape) {
            refreshHealth(); // a peer came or went, or a problem was counted: the verdict may have changed
        }
        shape = now;
    }

    function onHealth(result) {
        health = {};
        healthNote = result.available ? '' : result.reason;
        if (result.available) {
            for (var i = 0; i < result.checks.length; i++) {
                if (result.checks[i].channel !== null) {
                    health[result.checks[i].channel] = result.checks[i];
                }
            }
            healthNote = result.checks.length === 0 ? 'no mpchannel health check is registered' : '';
        }
        for (var name in views) {
            if (Object.prototype.hasOwnProperty.call(views, name)) {
                drawHealth(views[name], name);
            }
        }
    }

    function refreshHealth() {
        get('health.json', onHealth);
    }

    function refresh() {
        get('status.json', onStatus);
    }

    refresh();
    refreshHealth();
    setInterval(refresh, 1000);
    setInterval(refreshHealth, 10000);
}());
