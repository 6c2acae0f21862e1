// idb-keyval 6.2.0 dist/index.js (abbreviated in this fixture)
function $a9d0c7e3f1b24568$var$promisifyRequest(request) {
    return new Promise((resolve, reject)=>{
        request.oncomplete = request.onsuccess = ()=>resolve(request.result);
        request.onabort = request.onerror = ()=>reject(request.error);
    });
}
function $a9d0c7e3f1b24568$var$createStore(dbName, storeName) {
    const request = indexedDB.open(dbName);
    request.onupgradeneeded = ()=>request.result.createObjectStore(storeName);
    const dbp = $a9d0c7e3f1b24568$var$promisifyRequest(request);
    return (txMode, callback)=>dbp.then((db)=>callback(db.transaction(storeName, txMode).objectStore(storeName)));
}
let $a9d0c7e3f1b24568$var$defaultGetStoreFunc;
function $a9d0c7e3f1b24568$var$defaultGetStore() {
    if (!$a9d0c7e3f1b24568$var$defaultGetStoreFunc) $a9d0c7e3f1b24568$var$defaultGetStoreFunc = $a9d0c7e3f1b24568$var$createStore("keyval-store", "keyval");
    return $a9d0c7e3f1b24568$var$defaultGetStoreFunc;
}
function $a9d0c7e3f1b24568$export$3988ae62b71be9a3(key, customStore = $a9d0c7e3f1b24568$var$defaultGetStore()) {
    return customStore("readonly", (store)=>$a9d0c7e3f1b24568$var$promisifyRequest(store.get(key)));
}
function $a9d0c7e3f1b24568$export$adaa4cf7ef1b65be(key, value, customStore = $a9d0c7e3f1b24568$var$defaultGetStore()) {
    return customStore("readwrite", (store)=>{
        store.put(value, key);
        return $a9d0c7e3f1b24568$var$promisifyRequest(store.transaction);
    });
}


const $5b2e9f0d7c1a4836$var$API = "https://api.exchangerate.host/latest";
const $5b2e9f0d7c1a4836$var$ONE_DAY = 86400000;
function $5b2e9f0d7c1a4836$var$request(url) {
    return new Promise((resolve, reject)=>{
        const xhr = new XMLHttpRequest({
            mozSystem: true
        });
        xhr.open("GET", url);
        xhr.responseType = "json";
        xhr.onload = ()=>xhr.status === 200 ? resolve(xhr.response) : reject(new Error(xhr.statusText));
        xhr.onerror = ()=>reject(new Error("offline"));
        xhr.send();
    });
}
async function $5b2e9f0d7c1a4836$export$b3c5a1d2e4f60718(base = "EUR", { force: force = false } = {}) {
    const cached = await (0, $a9d0c7e3f1b24568$export$3988ae62b71be9a3)(`rates-${base}`);
    if (!force && cached && Date.now() - cached.fetchedAt < $5b2e9f0d7c1a4836$var$ONE_DAY) return cached;
    try {
        const data = await $5b2e9f0d7c1a4836$var$request(`${$5b2e9f0d7c1a4836$var$API}?base=${base}`);
        const entry = {
            ...data,
            fetchedAt: Date.now()
        };
        await (0, $a9d0c7e3f1b24568$export$adaa4cf7ef1b65be)(`rates-${base}`, entry);
        return entry;
    } catch (err) {
        if (cached) return {
            ...cached,
            stale: true
        };
        throw err;
    }
}
function $5b2e9f0d7c1a4836$export$5bde8b0d9c6e7f13(rates, amount, to) {
    const rate = rates?.rates?.[to];
    return rate ? amount * rate : NaN;
}


function $0f6d2c8b4e1a9573$export$8a1c3e5f7b9d0246(history) {
    const storage = navigator.getDeviceStorage("sdcard");
    const lines = [
        "date,from,to,amount,result",
        ...history.map((h)=>[
                h.date,
                h.from,
                h.to,
                h.amount,
                h.result
            ].join(","))
    ];
    const file = new Blob([
        lines.join("\n")
    ], {
        type: "text/csv"
    });
    const name = `kurrency-${new Date().toISOString().slice(0, 10)}.csv`;
    return new Promise((resolve, reject)=>{
        const req = storage.addNamed(file, name);
        req.onsuccess = ()=>resolve(req.result);
        req.onerror = ()=>reject(req.error);
    });
}
function $0f6d2c8b4e1a9573$export$d4e6f8a0b2c41357() {
    const next = new Date();
    next.setHours(7, 0, 0, 0);
    if (next < new Date()) next.setDate(next.getDate() + 1);
    const req = navigator.mozAlarms.add(next, "ignoreTimezone", {
        task: "refresh-rates"
    });
    req.onerror = ()=>console.warn("alarm not set", req.error?.name);
}


function $9e3a5c7d1f2b4680$export$f2a4c6e8b0d13579(left, center, right) {
    document.getElementById("sk-left").textContent = left ?? "";
    document.getElementById("sk-center").textContent = center ?? "";
    document.getElementById("sk-right").textContent = right ?? "";
}


const $6d8f0b2e4a7c1935$export$3e5a7c9e1b2d4f60 = [
    "EUR", "USD", "GBP", "INR", "NGN", "KES", "GHS", "ZAR", "BRL", "MXN", "IDR", "PKR", "BDT", "TZS", "UGX"
];
function $6d8f0b2e4a7c1935$export$a7c9e1b3d5f70246(list, step) {
    const items = [
        ...list.querySelectorAll("li")
    ];
    const index = items.indexOf(document.activeElement);
    const next = items[(index + step + items.length) % items.length];
    next?.focus();
}
function $6d8f0b2e4a7c1935$export$c1e3a5b7d9f02468(list, current, onPick) {
    list.innerHTML = "";
    for (const code of $6d8f0b2e4a7c1935$export$3e5a7c9e1b2d4f60){
        const li = document.createElement("li");
        li.tabIndex = 0;
        li.textContent = code;
        li.dataset.code = code;
        list.appendChild(li);
    }
    list.hidden = false;
    (list.querySelector(`[data-code="${current}"]`) ?? list.firstElementChild).focus();
    list.onkeydown = (e)=>{
        if (e.key === "Enter") {
            list.hidden = true;
            onPick(document.activeElement.dataset.code);
        }
    };
}


const $b7e1d3f5a9c20468$var$state = {
    from: "EUR",
    to: "USD",
    rates: null,
    history: []
};
const $b7e1d3f5a9c20468$var$$ = (id)=>document.getElementById(id);
async function $b7e1d3f5a9c20468$var$refresh(force = false) {
    try {
        $b7e1d3f5a9c20468$var$state.rates = await (0, $5b2e9f0d7c1a4836$export$b3c5a1d2e4f60718)($b7e1d3f5a9c20468$var$state.from, {
            force: force
        });
        $b7e1d3f5a9c20468$var$$("updated").textContent = $b7e1d3f5a9c20468$var$state.rates.stale ? "Offline: old rates" : `Updated ${new Date($b7e1d3f5a9c20468$var$state.rates.fetchedAt).toLocaleTimeString()}`;
    } catch (err) {
        $b7e1d3f5a9c20468$var$$("updated").textContent = "No rates yet. Check your connection.";
    }
    $b7e1d3f5a9c20468$var$render();
}
function $b7e1d3f5a9c20468$var$render() {
    const amount = parseFloat($b7e1d3f5a9c20468$var$$("amount").value) || 0;
    const result = (0, $5b2e9f0d7c1a4836$export$5bde8b0d9c6e7f13)($b7e1d3f5a9c20468$var$state.rates, amount, $b7e1d3f5a9c20468$var$state.to);
    $b7e1d3f5a9c20468$var$$("from").querySelector(".code").textContent = $b7e1d3f5a9c20468$var$state.from;
    $b7e1d3f5a9c20468$var$$("to").querySelector(".code").textContent = $b7e1d3f5a9c20468$var$state.to;
    $b7e1d3f5a9c20468$var$$("result").textContent = Number.isNaN(result) ? "-" : result.toFixed(2);
}
function $b7e1d3f5a9c20468$var$swap() {
    [$b7e1d3f5a9c20468$var$state.from, $b7e1d3f5a9c20468$var$state.to] = [
        $b7e1d3f5a9c20468$var$state.to,
        $b7e1d3f5a9c20468$var$state.from
    ];
    $b7e1d3f5a9c20468$var$refresh();
}
document.addEventListener("keydown", async (e)=>{
    const picker = $b7e1d3f5a9c20468$var$$("picker");
    if (!picker.hidden) {
        if (e.key === "ArrowDown") (0, $6d8f0b2e4a7c1935$export$a7c9e1b3d5f70246)(picker, 1);
        if (e.key === "ArrowUp") (0, $6d8f0b2e4a7c1935$export$a7c9e1b3d5f70246)(picker, -1);
        if (e.key === "Backspace") {
            e.preventDefault();
            picker.hidden = true;
        }
        return;
    }
    switch(e.key){
        case "ArrowDown":
        case "ArrowUp":
            (document.activeElement.closest("#from") ? $b7e1d3f5a9c20468$var$$("to") : $b7e1d3f5a9c20468$var$$("from")).focus();
            break;
        case "Enter":
            {
                const side = document.activeElement.closest("#from") ? "from" : "to";
                (0, $6d8f0b2e4a7c1935$export$c1e3a5b7d9f02468)(picker, $b7e1d3f5a9c20468$var$state[side], (code)=>{
                    $b7e1d3f5a9c20468$var$state[side] = code;
                    $b7e1d3f5a9c20468$var$refresh();
                });
                break;
            }
        case "SoftLeft":
            $b7e1d3f5a9c20468$var$swap();
            break;
        case "SoftRight":
            try {
                const name = await (0, $0f6d2c8b4e1a9573$export$8a1c3e5f7b9d0246)($b7e1d3f5a9c20468$var$state.history);
                $b7e1d3f5a9c20468$var$$("updated").textContent = `Saved ${name}`;
            } catch (err) {
                $b7e1d3f5a9c20468$var$$("updated").textContent = "Export failed";
            }
            break;
        default:
    }
});
$b7e1d3f5a9c20468$var$$("amount").addEventListener("input", ()=>{
    $b7e1d3f5a9c20468$var$render();
    $b7e1d3f5a9c20468$var$state.history.push({
        date: new Date().toISOString(),
        from: $b7e1d3f5a9c20468$var$state.from,
        to: $b7e1d3f5a9c20468$var$state.to,
        amount: $b7e1d3f5a9c20468$var$$("amount").value,
        result: $b7e1d3f5a9c20468$var$$("result").textContent
    });
});
navigator.mozSetMessageHandler?.("alarm", ()=>$b7e1d3f5a9c20468$var$refresh(true));
(0, $9e3a5c7d1f2b4680$export$f2a4c6e8b0d13579)("Swap", "Select", "Export");
$b7e1d3f5a9c20468$var$$("from").focus();
(0, $0f6d2c8b4e1a9573$export$d4e6f8a0b2c41357)();
$b7e1d3f5a9c20468$var$refresh();


//# sourceMappingURL=index.5c1e9a2f.js.map
